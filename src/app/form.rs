//! The form that creates a permission set, or edits one: its fields, which one has the focus,
//! and the validation that keeps bad input out of the plan (each field gets its own message).

use std::collections::BTreeMap;

use crate::backend::PermissionSetSpec;

/// The session durations offered, shortest first.
pub const DURATIONS: [&str; 5] = ["PT1H", "PT2H", "PT4H", "PT8H", "PT12H"];

pub const MAX_NAME: usize = 32;
pub const MAX_DESCRIPTION: usize = 700;
pub const MAX_RELAY_STATE: usize = 240;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Name,
    Description,
    Duration,
    RelayState,
}

impl Field {
    pub const ALL: [Field; 4] = [
        Field::Name,
        Field::Description,
        Field::Duration,
        Field::RelayState,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "Name",
            Field::Description => "Description (optional)",
            Field::Duration => "Session duration",
            Field::RelayState => "Relay state URL (optional)",
        }
    }

    fn position(self) -> usize {
        Field::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }

    pub fn is_text(self) -> bool {
        self != Field::Duration
    }
}

/// The "new permission set" form, also the "edit permission set" one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionSetForm {
    pub name: String,
    pub description: String,
    /// Index into `options`.
    pub duration: usize,
    /// The durations offered: [`DURATIONS`], and, when editing a set whose duration is not
    /// one of them, that duration first, so that an edit never changes it unasked.
    pub options: Vec<String>,
    pub relay_state: String,
    pub focus: Field,
    /// What is wrong with each field, after a submit.
    pub errors: BTreeMap<Field, String>,
    /// Names of the permission sets that exist.
    existing: Vec<String>,
    /// Names of the permission sets staged for creation.
    staged: Vec<String>,
    /// When editing: the ARN of the permission set and what it holds now. The name is shown
    /// but cannot change.
    pub editing: Option<(String, PermissionSetSpec)>,
}

impl PermissionSetForm {
    pub fn new(existing: Vec<String>, staged: Vec<String>) -> Self {
        Self {
            name: String::new(),
            description: String::new(),
            duration: 0,
            options: DURATIONS.iter().map(|d| (*d).to_string()).collect(),
            relay_state: String::new(),
            focus: Field::Name,
            errors: BTreeMap::new(),
            existing,
            staged,
            editing: None,
        }
    }

    /// The form of an existing permission set, filled with what it holds now. A session
    /// duration that is not among those offered is offered too, and selected.
    pub fn edit(permission_set_arn: String, current: PermissionSetSpec) -> Self {
        let mut options: Vec<String> = DURATIONS.iter().map(|d| (*d).to_string()).collect();
        if !current.session_duration.is_empty() && !options.contains(&current.session_duration) {
            options.insert(0, current.session_duration.clone());
        }
        Self {
            name: current.name.clone(),
            description: current.description.clone().unwrap_or_default(),
            duration: options
                .iter()
                .position(|d| *d == current.session_duration)
                .unwrap_or(0),
            options,
            relay_state: current.relay_state.clone().unwrap_or_default(),
            focus: Field::Description,
            errors: BTreeMap::new(),
            existing: Vec::new(),
            staged: Vec::new(),
            editing: Some((permission_set_arn, current)),
        }
    }

    pub fn is_editing(&self) -> bool {
        self.editing.is_some()
    }

    pub fn duration(&self) -> &str {
        self.options
            .get(self.duration)
            .map_or("PT1H", String::as_str)
    }

    pub fn is_last_field(&self) -> bool {
        self.focus == Field::RelayState
    }

    pub fn next_field(&mut self) {
        self.focus = Field::ALL[(self.focus.position() + 1) % Field::ALL.len()];
        if self.focus == Field::Name && self.is_editing() {
            self.next_field();
        }
    }

    pub fn prev_field(&mut self) {
        let n = Field::ALL.len();
        self.focus = Field::ALL[(self.focus.position() + n - 1) % n];
        if self.focus == Field::Name && self.is_editing() {
            self.prev_field();
        }
    }

    /// Moves through the durations (on the duration field only).
    pub fn cycle(&mut self, forward: bool) {
        if self.focus != Field::Duration {
            return;
        }
        let n = self.options.len().max(1);
        self.duration = if forward {
            (self.duration + 1) % n
        } else {
            (self.duration + n - 1) % n
        };
    }

    fn focused_text(&mut self) -> Option<&mut String> {
        if self.focus == Field::Name && self.is_editing() {
            // The name of an existing permission set cannot change.
            return None;
        }
        match self.focus {
            Field::Name => Some(&mut self.name),
            Field::Description => Some(&mut self.description),
            Field::RelayState => Some(&mut self.relay_state),
            Field::Duration => None,
        }
    }

    /// Types a character into the focused text field (Space cycles the duration).
    pub fn type_char(&mut self, c: char) {
        if self.focus == Field::Duration {
            if c == ' ' {
                self.cycle(true);
            }
            return;
        }
        let focus = self.focus;
        if let Some(text) = self.focused_text() {
            text.push(c);
        }
        self.errors.remove(&focus);
    }

    pub fn backspace(&mut self) {
        let focus = self.focus;
        if let Some(text) = self.focused_text() {
            text.pop();
        }
        self.errors.remove(&focus);
    }

    /// The permission set to create, or what is wrong with each field.
    pub fn validate(&self) -> Result<PermissionSetSpec, BTreeMap<Field, String>> {
        let mut errors = BTreeMap::new();
        if self.is_editing() {
            // The name is the existing one.
        } else if let Err(e) = validate_name(&self.name) {
            errors.insert(Field::Name, e);
        } else if self.existing.contains(&self.name) {
            errors.insert(
                Field::Name,
                format!("a permission set named {} already exists", self.name),
            );
        } else if self.staged.contains(&self.name) {
            errors.insert(
                Field::Name,
                format!(
                    "a permission set named {} is already staged for creation",
                    self.name
                ),
            );
        }
        if let Err(e) = validate_description(&self.description) {
            errors.insert(Field::Description, e);
        }
        if let Err(e) = validate_relay_state(self.relay_state.trim()) {
            errors.insert(Field::RelayState, e);
        }
        // AWS cannot blank these once set (UpdatePermissionSet wants 1 character or more).
        if let Some((_, current)) = &self.editing {
            if current.description.is_some() && self.description.trim().is_empty() {
                errors.insert(
                    Field::Description,
                    "AWS cannot remove a description: type a new one (Esc keeps it)".to_string(),
                );
            }
            if current.relay_state.is_some() && self.relay_state.trim().is_empty() {
                errors.insert(
                    Field::RelayState,
                    "AWS cannot remove a relay state: type a new URL (Esc keeps it)".to_string(),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let optional = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        };
        Ok(PermissionSetSpec {
            name: self.name.clone(),
            description: optional(&self.description),
            session_duration: self.duration().to_string(),
            relay_state: optional(&self.relay_state),
        })
    }

    /// Validates; on errors keeps them for display and moves to the first bad field.
    pub fn submit(&mut self) -> Option<PermissionSetSpec> {
        match self.validate() {
            Ok(spec) => {
                self.errors.clear();
                Some(spec)
            }
            Err(errors) => {
                if let Some(first) = errors.keys().next() {
                    self.focus = *first;
                }
                self.errors = errors;
                None
            }
        }
    }
}

const NAME_SYMBOLS: &str = "+=,.@_-";

/// 1–32 characters of `[A-Za-z0-9+=,.@_-]` (AWS's `[\w+=,.@-]+`).
pub fn validate_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(
            "a name is required: 1–32 characters of letters, digits and + = , . @ _ -".to_string(),
        );
    }
    let count = name.chars().count();
    if count > MAX_NAME {
        return Err(format!(
            "the name has {count} characters: at most {MAX_NAME} are allowed"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || NAME_SYMBOLS.contains(*c)))
    {
        let shown = if bad == ' ' {
            "a space".to_string()
        } else {
            format!("'{bad}'")
        };
        return Err(format!(
            "{shown} is not allowed in a name: use letters, digits and + = , . @ _ -"
        ));
    }
    Ok(())
}

/// At most 700 characters that AWS accepts in a description (printable Latin-1, tabs, newlines).
pub fn validate_description(description: &str) -> Result<(), String> {
    let count = description.chars().count();
    if count > MAX_DESCRIPTION {
        return Err(format!(
            "the description has {count} characters: at most {MAX_DESCRIPTION} are allowed"
        ));
    }
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a1}'..='\u{ff}');
    if let Some(bad) = description.chars().find(|c| !allowed(*c)) {
        return Err(format!(
            "'{bad}' cannot be used in a description: AWS accepts printable Latin-1 characters only"
        ));
    }
    Ok(())
}

/// Empty, or an `https://` or `http://` URL with a host, at most 240 characters.
pub fn validate_relay_state(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Ok(());
    }
    let count = url.chars().count();
    if count > MAX_RELAY_STATE {
        return Err(format!(
            "the relay state URL has {count} characters: at most {MAX_RELAY_STATE} are allowed"
        ));
    }
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Err("the relay state must be a URL starting with https:// or http://".to_string());
    };
    if url.chars().any(char::is_whitespace) {
        return Err("the relay state URL cannot contain spaces".to_string());
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    let name = host.split(':').next().unwrap_or_default();
    if name.is_empty() || name.starts_with('.') || name.ends_with('.') {
        return Err(
            "the relay state URL needs a host, e.g. https://console.aws.amazon.com/ec2/"
                .to_string(),
        );
    }
    Ok(())
}

/// An AWS managed policy ARN: `arn:aws:iam::aws:policy/` then an optional path and a name.
pub fn is_managed_policy_arn(arn: &str) -> bool {
    let Some(rest) = arn.strip_prefix("arn:aws:iam::aws:policy/") else {
        return false;
    };
    !rest.is_empty()
        && rest.len() <= 512
        && rest.split('/').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || NAME_SYMBOLS.contains(c))
        })
}

/// A customer managed policy reference typed as `NAME` or `/path/NAME`: its (name, path), the
/// path `/` when none is given, or why it is not valid.
pub fn parse_customer_policy_ref(typed: &str) -> Result<(String, String), String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("type the policy name, or /path/NAME".to_string());
    }
    let (path, name) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("/", typed),
    };
    let plain = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || NAME_SYMBOLS.contains(c))
    };
    if name.is_empty() || name.chars().count() > 128 || !plain(name) {
        return Err(format!(
            "the policy name \"{name}\" must be 1 to 128 characters of letters, digits and +=,.@_-"
        ));
    }
    if !path.starts_with('/') {
        return Err(format!("the path \"{path}\" must start and end with /"));
    }
    if path.chars().count() > 512 {
        return Err("the path must be at most 512 characters".to_string());
    }
    let inner = path.get(1..path.len() - 1).unwrap_or_default();
    if path != "/" && inner.split('/').any(|part| part.is_empty() || !plain(part)) {
        return Err(format!(
            "the path \"{path}\" must be / or /parts/ of letters, digits and +=,.@_-"
        ));
    }
    Ok((name.to_string(), path.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_policy_references_are_checked() {
        let ok = |s: &str| parse_customer_policy_ref(s).expect("valid");
        assert_eq!(ok("ReadBilling"), ("ReadBilling".into(), "/".into()));
        assert_eq!(
            ok("/ops/team/Read.Only"),
            ("Read.Only".into(), "/ops/team/".into())
        );
        assert_eq!(ok("/Root"), ("Root".into(), "/".into()));
        for bad in [
            "",
            "ops/Name",
            "/ops/",
            "Bad Name",
            "/a//Name",
            &"x".repeat(129),
        ] {
            assert!(parse_customer_policy_ref(bad).is_err(), "{bad:?}");
        }
        let long = format!("/{}/Name", "p".repeat(511));
        assert!(parse_customer_policy_ref(&long).is_err());
    }

    fn form(name: &str) -> PermissionSetForm {
        let mut f =
            PermissionSetForm::new(vec!["AdministratorAccess".into()], vec!["Staged".into()]);
        f.name = name.to_string();
        f
    }

    fn name_error(name: &str) -> String {
        form(name)
            .validate()
            .expect_err("refused")
            .remove(&Field::Name)
            .expect("a message for the name")
    }

    #[test]
    fn a_good_form_gives_the_spec() {
        let mut f = form("ReadOnlyEC2");
        f.description = "  EC2 read only ".into();
        f.focus = Field::Duration;
        f.cycle(true);
        f.cycle(false);
        f.cycle(false);
        assert_eq!(f.duration(), "PT12H");
        f.cycle(true);
        f.relay_state = "https://console.aws.amazon.com/ec2/home?region=eu-west-1".into();
        let spec = f.validate().expect("valid");
        assert_eq!(spec.name, "ReadOnlyEC2");
        assert_eq!(spec.description.as_deref(), Some("EC2 read only"));
        assert_eq!(spec.session_duration, "PT1H");
        assert!(spec.relay_state.is_some());
        let blank = form("a+=,.@_-Z9").validate().expect("valid");
        assert_eq!(blank.description, None);
        assert_eq!(blank.relay_state, None);
    }

    #[test]
    fn every_bad_name_gets_its_message() {
        assert!(name_error("").contains("a name is required"));
        assert!(name_error(&"x".repeat(33)).contains("33 characters: at most 32"));
        assert!(name_error("Read Only").contains("a space is not allowed"));
        assert!(name_error("ReadOnly/EC2").contains("'/' is not allowed"));
        assert!(name_error("Ré").contains("'é' is not allowed"));
        assert!(name_error("AdministratorAccess").contains("already exists"));
        assert!(name_error("Staged").contains("already staged"));
        assert!(validate_name(&"x".repeat(32)).is_ok());
    }

    #[test]
    fn bad_descriptions_and_relay_states_get_their_messages() {
        let mut f = form("Good");
        f.description = "d".repeat(701);
        f.relay_state = "ftp://example.com".into();
        let errors = f.validate().expect_err("refused");
        assert!(errors[&Field::Description].contains("701 characters: at most 700"));
        assert!(errors[&Field::RelayState].contains("https:// or http://"));
        assert!(!errors.contains_key(&Field::Name));
        assert!(
            validate_description("tab\there, emoji 🙂")
                .expect_err("refused")
                .contains("'🙂' cannot be used")
        );
        assert!(validate_description(&"d".repeat(700)).is_ok());
        let relay = |u: &str| validate_relay_state(u).expect_err(u);
        assert!(relay("https://").contains("needs a host"));
        assert!(relay("http:///path").contains("needs a host"));
        assert!(relay("console.aws.amazon.com").contains("https:// or http://"));
        assert!(relay("https://exa mple.com").contains("cannot contain spaces"));
        let long = format!("https://example.com/{}", "p".repeat(221));
        assert!(relay(&long).contains("241 characters: at most 240"));
        assert!(validate_relay_state("http://localhost:8080/x").is_ok());
        assert!(validate_relay_state("").is_ok());
    }

    #[test]
    fn submit_keeps_the_messages_and_focuses_the_first_bad_field() {
        let mut f = form("bad name");
        f.relay_state = "nope".into();
        f.focus = Field::Duration;
        assert_eq!(f.submit(), None);
        assert_eq!(f.focus, Field::Name);
        assert_eq!(f.errors.len(), 2);
        // Editing a field clears its message.
        f.backspace();
        assert!(!f.errors.contains_key(&Field::Name));
        assert!(f.errors.contains_key(&Field::RelayState));
    }

    #[test]
    fn editing_keeps_a_duration_that_is_not_offered() {
        let spec = PermissionSetSpec {
            name: "Odd".into(),
            description: Some("d".into()),
            session_duration: "PT3H".into(),
            relay_state: None,
        };
        let f = PermissionSetForm::edit("arn".into(), spec);
        assert_eq!(f.duration(), "PT3H");
        assert_eq!(f.options.len(), DURATIONS.len() + 1);
    }

    #[test]
    fn fields_cycle_and_space_cycles_the_duration() {
        let mut f = form("");
        f.prev_field();
        assert_eq!(f.focus, Field::RelayState);
        assert!(f.is_last_field());
        f.next_field();
        f.next_field();
        f.next_field();
        assert_eq!(f.focus, Field::Duration);
        f.type_char(' ');
        assert_eq!(f.duration(), "PT2H");
        f.type_char('x');
        assert_eq!(f.name, "");
        f.prev_field();
        f.type_char(' ');
        assert_eq!(f.description, " ");
    }

    fn current() -> PermissionSetSpec {
        PermissionSetSpec {
            name: "ReadOnly".into(),
            description: Some("Read everything".into()),
            session_duration: "PT8H".into(),
            relay_state: None,
        }
    }

    #[test]
    fn the_edit_form_is_prefilled_and_keeps_the_name() {
        let mut f = PermissionSetForm::edit("arn:ps".into(), current());
        assert!(f.is_editing());
        assert_eq!(f.focus, Field::Description);
        assert_eq!(f.description, "Read everything");
        assert_eq!(f.duration(), "PT8H");
        // The same spec comes back untouched.
        assert_eq!(f.validate().expect("valid"), current());
        // The name field is skipped and cannot be typed into.
        f.prev_field();
        assert_eq!(f.focus, Field::RelayState);
        f.next_field();
        assert_eq!(f.focus, Field::Description);
        f.focus = Field::Name;
        f.type_char('x');
        f.backspace();
        assert_eq!(f.name, "ReadOnly");
        // The other fields are validated as in the creation form.
        f.description = "🙂".into();
        f.relay_state = "ftp://x".into();
        let errors = f.validate().expect_err("refused");
        assert!(errors[&Field::Description].contains("cannot be used"));
        assert!(errors[&Field::RelayState].contains("https://"));
        assert!(!errors.contains_key(&Field::Name));
    }

    #[test]
    fn the_edit_form_refuses_to_blank_what_aws_cannot_remove() {
        let mut with_relay = current();
        with_relay.relay_state = Some("https://console.aws.amazon.com/".into());
        let mut f = PermissionSetForm::edit("arn:ps".into(), with_relay);
        f.description.clear();
        f.relay_state.clear();
        let errors = f.validate().expect_err("refused");
        assert!(errors[&Field::Description].contains("cannot remove a description"));
        assert!(errors[&Field::RelayState].contains("cannot remove a relay state"));
        // A set without a relay state may keep none.
        let mut f = PermissionSetForm::edit("arn:ps".into(), current());
        f.focus = Field::Duration;
        f.cycle(true);
        let spec = f.validate().expect("valid");
        assert_eq!(spec.session_duration, "PT12H");
        assert_eq!(spec.relay_state, None);
    }

    #[test]
    fn managed_policy_arns() {
        assert!(is_managed_policy_arn(
            "arn:aws:iam::aws:policy/ReadOnlyAccess"
        ));
        assert!(is_managed_policy_arn(
            "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
        ));
        assert!(!is_managed_policy_arn("arn:aws:iam::aws:policy/"));
        assert!(!is_managed_policy_arn("arn:aws:iam::aws:policy//x"));
        assert!(!is_managed_policy_arn(
            "arn:aws:iam::123456789012:policy/Mine"
        ));
        assert!(!is_managed_policy_arn("ReadOnlyAccess"));
    }
}

//! `I` in the Permission sets pane: the inline policy, edited in `$EDITOR` by the terminal
//! loop, checked here and staged as a `Change::PutInlinePolicy`.

use super::{App, Confirm, Effect, Level, Mode, OnYes};
use crate::plan::Change;

/// The most characters AWS takes in an inline policy; idc counts the minified text (the text
/// without the whitespace between JSON tokens), which is what it sends.
pub const MAX_POLICY_CHARS: usize = 32_768;

/// What the editor opens when the set has no inline policy.
pub const STARTER: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n";

/// What an edited policy asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyEdit {
    /// Put this policy (minified).
    Put(String),
    /// The file was emptied: delete the inline policy.
    Delete,
    /// The same policy as now.
    Unchanged,
}

/// The text the editor opens: the current policy pretty-printed, or the starter.
pub fn editor_text(current: Option<&str>) -> String {
    match current {
        Some(policy) => serde_json::from_str::<serde_json::Value>(policy)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .map_or_else(|| policy.to_string(), |p| format!("{p}\n")),
        None => STARTER.to_string(),
    }
}

/// Checks an edited policy against the current one: valid JSON, an object with a
/// "Statement", at most [`MAX_POLICY_CHARS`] once minified. Whitespace only asks to delete.
pub fn check_policy(edited: &str, current: Option<&str>) -> Result<PolicyEdit, String> {
    if edited.trim().is_empty() {
        return Ok(match current {
            Some(_) => PolicyEdit::Delete,
            None => PolicyEdit::Unchanged,
        });
    }
    let value: serde_json::Value = serde_json::from_str(edited).map_err(|e| {
        let text = e.to_string();
        let what = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(what, _)| what);
        format!(
            "the policy is not valid JSON at line {}, column {}: {what}",
            e.line(),
            e.column()
        )
    })?;
    let Some(object) = value.as_object() else {
        return Err(
            "the policy must be a JSON object: { \"Version\": …, \"Statement\": [ … ] }"
                .to_string(),
        );
    };
    if !object.contains_key("Statement") {
        return Err("the policy has no \"Statement\"".to_string());
    }
    let unchanged = match current {
        Some(current) => crate::plan::same_policy(Some(current), Some(edited)),
        None => crate::plan::same_policy(Some(STARTER), Some(edited)),
    };
    if unchanged {
        return Ok(PolicyEdit::Unchanged);
    }
    let minified = minify(edited);
    let n = minified.chars().count();
    if n > MAX_POLICY_CHARS {
        return Err(format!(
            "the policy is {n} characters without whitespace; AWS allows at most {MAX_POLICY_CHARS}"
        ));
    }
    Ok(PolicyEdit::Put(minified))
}

/// JSON without the whitespace between tokens; strings and the order of keys kept as typed.
pub fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

impl App {
    /// `I` in the Permission sets pane: asks the terminal loop to open the editor.
    pub(super) fn start_edit_inline_policy(&mut self) -> Vec<Effect> {
        if !self.may_change("editing an inline policy") {
            return Vec::new();
        }
        let Some(arn) = self.selected_permission_set("I (inline policy)") else {
            return Vec::new();
        };
        let Some(ps) = self.dir.permission_sets.get(&arn) else {
            return Vec::new();
        };
        let current = editor_text(ps.inline_policy.as_deref());
        let name = ps.name.clone();
        self.set_status(
            Level::Info,
            format!("editing the inline policy of {name} in the editor…"),
        );
        vec![Effect::EditInlinePolicy {
            permission_set_arn: arn,
            current,
        }]
    }

    /// The editor closed: check the text and stage it (a deletion after a question).
    pub(super) fn on_inline_policy_edited(
        &mut self,
        permission_set_arn: String,
        result: Result<String, String>,
    ) -> Vec<Effect> {
        let text = match result {
            Ok(text) => text,
            Err(e) => {
                self.set_status(Level::Error, format!("{e}: nothing was staged"));
                return Vec::new();
            }
        };
        let Some(ps) = self.dir.permission_sets.get(&permission_set_arn) else {
            self.set_status(
                Level::Warn,
                "the permission set is gone (deleted meanwhile?): nothing was staged",
            );
            return Vec::new();
        };
        let name = ps.name.clone();
        match check_policy(&text, ps.inline_policy.as_deref()) {
            Err(e) => {
                self.set_status(
                    Level::Warn,
                    format!("inline policy of {name}: {e} — nothing was staged"),
                );
                Vec::new()
            }
            Ok(PolicyEdit::Unchanged) => {
                self.set_status(
                    Level::Info,
                    format!("nothing changed in the inline policy of {name}: nothing was staged"),
                );
                Vec::new()
            }
            Ok(PolicyEdit::Put(policy)) => self.stage_all(vec![Change::PutInlinePolicy {
                permission_set_arn,
                policy: Some(policy),
            }]),
            Ok(PolicyEdit::Delete) => {
                let change = Change::PutInlinePolicy {
                    permission_set_arn,
                    policy: None,
                };
                let lines = vec![
                    change.describe(&self.dir),
                    "The file was left empty. idc cannot undo this: keep a copy of the policy if you may want it back."
                        .to_string(),
                ];
                self.mode = Mode::Confirm(Confirm {
                    title: "Stage the deletion of the inline policy?".to_string(),
                    lines,
                    on_yes: OnYes::Stage(vec![change]),
                });
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

    #[test]
    fn bad_json_names_line_and_column() {
        let err =
            check_policy("{\n  \"Statement\": [\n    1,\n  ]\n}\n", None).expect_err("an error");
        assert!(err.contains("not valid JSON at line 4, column 3"), "{err}");
    }

    #[test]
    fn a_policy_needs_an_object_with_a_statement() {
        let err = check_policy(r#"{"Version": "2012-10-17"}"#, None).expect_err("an error");
        assert!(err.contains("no \"Statement\""), "{err}");
        let err = check_policy("[1, 2]", None).expect_err("an error");
        assert!(err.contains("must be a JSON object"), "{err}");
    }

    #[test]
    fn too_long_counts_the_minified_text() {
        let resource = "x".repeat(MAX_POLICY_CHARS);
        let long = format!(
            r#"{{"Statement": [{{"Effect": "Allow", "Action": "s3:*", "Resource": "{resource}"}}]}}"#
        );
        let err = check_policy(&long, None).expect_err("an error");
        assert!(err.contains("without whitespace"), "{err}");
        assert!(err.contains("32768"), "{err}");
        // Whitespace does not count: a policy just under the limit with lots of it passes.
        let fits = format!("{{\n\n{}\"Statement\": []}}", " ".repeat(MAX_POLICY_CHARS));
        assert_eq!(
            check_policy(&fits, None),
            Ok(PolicyEdit::Put(r#"{"Statement":[]}"#.to_string()))
        );
    }

    #[test]
    fn unchanged_is_recognised_whatever_the_layout() {
        let pretty = editor_text(Some(POLICY));
        assert!(pretty.contains("\n  \"Statement\""), "{pretty}");
        assert_eq!(
            check_policy(&pretty, Some(POLICY)),
            Ok(PolicyEdit::Unchanged)
        );
        assert_eq!(check_policy(STARTER, None), Ok(PolicyEdit::Unchanged));
        assert_eq!(editor_text(None), STARTER);
    }

    #[test]
    fn empty_deletes_and_a_change_is_minified() {
        assert_eq!(
            check_policy("  \n\t\n", Some(POLICY)),
            Ok(PolicyEdit::Delete)
        );
        assert_eq!(check_policy("", None), Ok(PolicyEdit::Unchanged));
        let edited = editor_text(Some(POLICY)).replace("s3:GetObject", "s3:List Bucket");
        // Minified: the space inside the string stays, the layout goes.
        let Ok(PolicyEdit::Put(put)) = check_policy(&edited, Some(POLICY)) else {
            panic!("not staged: {edited}");
        };
        assert!(!put.contains('\n') && !put.contains(": "), "{put}");
        let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
        assert_eq!(
            parse(&put),
            parse(&POLICY.replace("s3:GetObject", "s3:List Bucket"))
        );
    }

    #[test]
    fn minify_keeps_strings_and_escapes() {
        assert_eq!(
            minify("{ \"a b\" : \"c \\\" d\" ,\n \"e\": [ 1 , 2 ] }"),
            r#"{"a b":"c \" d","e":[1,2]}"#
        );
    }
}

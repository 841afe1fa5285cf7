//! One table of key bindings drives dispatch, the bottom bar and the help screen, so that
//! what is shown is always what works.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies. Dispatch tries the most specific context first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Any pane, in normal mode.
    Global,
    /// A list pane: moving the cursor.
    List,
    /// The accounts tree: OUs collapse and expand.
    Tree,
    /// Typing a filter.
    Filter,
    /// Typing a `:` command.
    Command,
    /// The help screen.
    Help,
    /// The Groups and Users panes: what a principal can be given.
    Principal,
    /// The assignment matrix.
    Matrix,
    /// A picker popup (accounts, permission sets).
    Picker,
    /// A question waiting for yes or no.
    Confirm,
    /// The plan of staged changes.
    Plan,
    /// An access view: who can reach an account, where a user can go, …
    Access,
    /// The Permission sets pane: create, edit, attach and detach policies, provision, delete.
    PermissionSets,
    /// A form popup (a new permission set, or an edited one).
    Form,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "Lists",
            Context::Tree => "Accounts tree",
            Context::Filter => "Filter (after /)",
            Context::Command => "Command (after :)",
            Context::Help => "Help screen",
            Context::Principal => "Groups and Users panes",
            Context::Matrix => "Matrix",
            Context::Picker => "Pickers",
            Context::Confirm => "Questions",
            Context::Plan => "Plan (after p)",
            Context::Access => "Access view (after w)",
            Context::PermissionSets => "Permission sets pane",
            Context::Form => "Forms (after n or e)",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    NextPane,
    PrevPane,
    FocusPane,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Expand,
    Collapse,
    Toggle,
    DetailDown,
    DetailUp,
    StartFilter,
    ClearFilter,
    AcceptFilter,
    StartCommand,
    RunCommand,
    CancelCommand,
    ShowHelp,
    CloseHelp,
    Refresh,
    Left,
    Right,
    CycleColumns,
    StartColumnFilter,
    Assign,
    Remove,
    ShowPlan,
    ClosePlan,
    DropItem,
    Apply,
    Undo,
    Mark,
    Accept,
    Cancel,
    Confirm,
    AddMembers,
    RemoveMembers,
    OpenAccess,
    CloseAccess,
    Drill,
    ExportCsv,
    ExportJson,
    NewPermissionSet,
    AttachPolicy,
    Provision,
    EditPermissionSet,
    DetachPolicy,
    AttachCustomerPolicy,
    DeletePermissionSet,
    EditInlinePolicy,
    NextField,
    PrevField,
    CycleChoice,
    Submit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

impl Key {
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        // Shift is part of the character itself for letters and symbols (`G`, `?`), so it only
        // counts for keys that are not characters (Shift-Tab arrives as BackTab anyway).
        let mods = match ev.code {
            KeyCode::Char(_) => ev.modifiers - KeyModifiers::SHIFT,
            _ => ev.modifiers,
        };
        self.code == ev.code && self.mods == mods
    }

    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "S-Tab".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("C-{base}")
        } else {
            base
        }
    }
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    /// A word or two for the bottom bar; empty keeps the binding out of the bar (the help
    /// screen lists it still), e.g. the Permission sets pane's `D` and `X`, so that the bar
    /// keeps `p plan` and `u undo` at 120 columns.
    pub hint: &'static str,
    pub help: &'static str,
}

impl Binding {
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join("/")
    }
}

use Action as A;
use Context as C;

const fn b(
    context: Context,
    keys: &'static [Key],
    action: Action,
    hint: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        keys,
        action,
        hint,
        help,
    }
}

const UP: &[Key] = &[ch('k'), key(KeyCode::Up)];
const DOWN: &[Key] = &[ch('j'), key(KeyCode::Down)];
const ARROW_UP: &[Key] = &[key(KeyCode::Up), ctrl('p')];
const ARROW_DOWN: &[Key] = &[key(KeyCode::Down), ctrl('n')];
const TOP: &[Key] = &[ch('g'), key(KeyCode::Home)];
const BOTTOM: &[Key] = &[ch('G'), key(KeyCode::End)];
const PAGE_DOWN: &[Key] = &[key(KeyCode::PageDown), ctrl('d')];
const PAGE_UP: &[Key] = &[key(KeyCode::PageUp), ctrl('u')];
const ESC: &[Key] = &[key(KeyCode::Esc)];
const ENTER: &[Key] = &[key(KeyCode::Enter)];

#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    // The help screen.
    b(C::Help, DOWN, A::DetailDown, "scroll", "Scroll down"),
    b(C::Help, UP, A::DetailUp, "", "Scroll up"),
    b(C::Help, &[ch('?'), key(KeyCode::Esc), ch('q')], A::CloseHelp, "close", "Close the help screen"),
    // Questions.
    b(C::Confirm, &[ch('y')], A::Confirm, "yes", "Yes: go ahead"),
    b(C::Confirm, &[ch('n'), key(KeyCode::Esc)], A::Cancel, "no", "No: leave everything as it is"),
    // Pickers: typed letters filter.
    b(C::Picker, ENTER, A::Accept, "take", "Take the marked items (or the highlighted one)"),
    b(C::Picker, &[ch(' ')], A::Mark, "mark", "Mark or unmark (an OU marks every account under it)"),
    b(C::Picker, ARROW_DOWN, A::Down, "", "Move down"),
    b(C::Picker, ARROW_UP, A::Up, "", "Move up"),
    b(C::Picker, &[key(KeyCode::PageDown)], A::PageDown, "", "Page down"),
    b(C::Picker, &[key(KeyCode::PageUp)], A::PageUp, "", "Page up"),
    b(C::Picker, ESC, A::Cancel, "cancel", "Cancel"),
    // The plan.
    b(C::Plan, DOWN, A::Down, "", "Move down"),
    b(C::Plan, UP, A::Up, "", "Move up"),
    b(C::Plan, &[ch('d'), key(KeyCode::Delete)], A::DropItem, "drop", "Drop the item from the plan"),
    b(C::Plan, &[ch('y')], A::Apply, "apply", "Apply the staged changes (asks first)"),
    b(C::Plan, &[ch('p'), ch('q'), key(KeyCode::Esc)], A::ClosePlan, "close", "Close the plan"),
    // An access view.
    b(C::Access, DOWN, A::Down, "", "Move down"),
    b(C::Access, UP, A::Up, "", "Move up"),
    b(C::Access, TOP, A::Top, "", "Go to the top"),
    b(C::Access, BOTTOM, A::Bottom, "", "Go to the bottom"),
    b(C::Access, PAGE_DOWN, A::PageDown, "", "Page down"),
    b(C::Access, PAGE_UP, A::PageUp, "", "Page up"),
    b(C::Access, ENTER, A::Drill, "open", "Open the view of the user, account or group under the cursor"),
    b(C::Access, &[ch('/')], A::StartFilter, "filter", "Fuzzy-filter the view"),
    b(C::Access, &[ch('e')], A::ExportCsv, "csv", "Export the view (as filtered) to a CSV file in the current folder"),
    b(C::Access, &[ch('E')], A::ExportJson, "json", "Export the view (as filtered) to a JSON file in the current folder"),
    b(C::Access, &[key(KeyCode::Esc), ch('q'), ch('w')], A::CloseAccess, "close", "Clear the filter, or close the view"),
    // A form: typed characters edit the focused text field.
    b(C::Form, &[key(KeyCode::Tab)], A::NextField, "next field", "Next field"),
    b(C::Form, &[key(KeyCode::BackTab)], A::PrevField, "", "Previous field"),
    b(C::Form, &[key(KeyCode::Left), key(KeyCode::Right), ch(' ')], A::CycleChoice, "duration", "Choose the session duration (on its field; Space types a space in text fields)"),
    b(C::Form, ENTER, A::Accept, "next/create", "Next field; on the last field, create or save (stage it)"),
    b(C::Form, &[ctrl('s')], A::Submit, "create", "Create or save: check the fields and stage the new or edited permission set"),
    b(C::Form, ESC, A::Cancel, "cancel", "Cancel: nothing is staged"),
    // The Permission sets pane.
    b(C::PermissionSets, &[ch('n')], A::NewPermissionSet, "new", "New permission set (a form; staged in the plan)"),
    b(C::PermissionSets, &[ch('e')], A::EditPermissionSet, "edit", "Edit the description, session duration and relay state (the form; staged in the plan)"),
    b(C::PermissionSets, &[ch('A')], A::AttachPolicy, "attach", "Attach an AWS managed policy (pick one or type its ARN)"),
    b(C::PermissionSets, &[ch('C')], A::AttachCustomerPolicy, "", "Attach a customer managed policy reference (type NAME or /path/NAME)"),
    b(C::PermissionSets, &[ch('D')], A::DetachPolicy, "", "Detach one of its AWS managed policies or customer managed references (asks first)"),
    b(C::PermissionSets, &[ch('P')], A::Provision, "provision", "Provision again to every account it is provisioned to"),
    b(C::PermissionSets, &[ch('X')], A::DeletePermissionSet, "", "Delete the permission set when nothing is assigned with it (asks first)"),
    b(C::PermissionSets, &[ch('I')], A::EditInlinePolicy, "", "Edit the inline policy in $EDITOR (checked, then staged; an empty file deletes it)"),
    // Typing a filter.
    b(C::Filter, ENTER, A::AcceptFilter, "keep filter", "Keep the filter and return to the list"),
    b(C::Filter, ESC, A::ClearFilter, "clear", "Clear the filter"),
    b(C::Filter, ARROW_DOWN, A::Down, "", "Move down while filtering"),
    b(C::Filter, ARROW_UP, A::Up, "", "Move up while filtering"),
    // Typing a command.
    b(C::Command, ENTER, A::RunCommand, "run", "Run the command (:accounts :groups :users :permissionsets :matrix :plan :help :q)"),
    b(C::Command, ESC, A::CancelCommand, "cancel", "Cancel"),
    // The matrix.
    b(C::Matrix, DOWN, A::Down, "", "Move down a row"),
    b(C::Matrix, UP, A::Up, "", "Move up a row"),
    b(C::Matrix, &[ch('h'), key(KeyCode::Left)], A::Left, "", "Move left a column"),
    b(C::Matrix, &[ch('l'), key(KeyCode::Right)], A::Right, "", "Move right a column"),
    b(C::Matrix, TOP, A::Top, "", "Go to the first row"),
    b(C::Matrix, BOTTOM, A::Bottom, "", "Go to the last row"),
    b(C::Matrix, PAGE_DOWN, A::PageDown, "", "Page down"),
    b(C::Matrix, PAGE_UP, A::PageUp, "", "Page up"),
    b(C::Matrix, &[key(KeyCode::Enter), ch(' ')], A::Toggle, "", "Collapse or expand the OU row"),
    b(C::Matrix, &[ch('a')], A::Assign, "assign", "Assign a permission set on this cell's account"),
    b(C::Matrix, &[ch('x')], A::Remove, "remove", "Remove one of this cell's permission sets"),
    b(C::Matrix, &[ch('c')], A::CycleColumns, "columns", "Columns: groups, users with direct assignments, permission sets"),
    b(C::Matrix, &[ch('/')], A::StartFilter, "filter rows", "Fuzzy-filter the rows (accounts)"),
    b(C::Matrix, &[ch('f')], A::StartColumnFilter, "filter cols", "Fuzzy-filter the columns"),
    b(C::Matrix, ESC, A::ClearFilter, "", "Clear the filters"),
    b(C::Matrix, &[ch('J')], A::DetailDown, "", "Scroll the detail panel down"),
    b(C::Matrix, &[ch('K')], A::DetailUp, "", "Scroll the detail panel up"),
    // The Groups and Users panes.
    b(C::Principal, &[ch('a')], A::Assign, "assign", "Give the group or user a permission set on accounts"),
    b(C::Principal, &[ch('m')], A::AddMembers, "add members", "Add users to the group, or the user to groups"),
    b(C::Principal, &[ch('x')], A::RemoveMembers, "remove members", "Remove members from the group, or the user from groups (asks first)"),
    // The accounts tree.
    b(C::Tree, &[ch('l'), key(KeyCode::Right)], A::Expand, "", "Expand the OU"),
    b(C::Tree, &[ch('h'), key(KeyCode::Left)], A::Collapse, "", "Collapse the OU (or go to the parent OU)"),
    b(C::Tree, &[key(KeyCode::Enter), ch(' ')], A::Toggle, "open/close OU", "Collapse or expand the OU"),
    // Lists.
    b(C::List, DOWN, A::Down, "down", "Move down"),
    b(C::List, UP, A::Up, "up", "Move up"),
    b(C::List, TOP, A::Top, "", "Go to the top"),
    b(C::List, BOTTOM, A::Bottom, "", "Go to the bottom"),
    b(C::List, PAGE_DOWN, A::PageDown, "", "Page down"),
    b(C::List, PAGE_UP, A::PageUp, "", "Page up"),
    b(C::List, &[ch('J')], A::DetailDown, "", "Scroll the detail panel down"),
    b(C::List, &[ch('K')], A::DetailUp, "", "Scroll the detail panel up"),
    b(C::List, &[ch('/')], A::StartFilter, "filter", "Fuzzy-filter the pane"),
    b(C::List, ESC, A::ClearFilter, "", "Clear the filter"),
    // Everywhere.
    b(C::Global, &[key(KeyCode::Tab)], A::NextPane, "", "Next pane"),
    b(C::Global, &[key(KeyCode::BackTab)], A::PrevPane, "", "Previous pane"),
    b(C::Global, &[ch('1'), ch('2'), ch('3'), ch('4'), ch('5')], A::FocusPane, "panes", "Accounts, Groups, Users, Permission sets, Matrix"),
    b(C::Global, &[ch('w')], A::OpenAccess, "access", "Who can reach the account (where the user can go, what the group or set grants)"),
    b(C::Global, &[ch('p')], A::ShowPlan, "plan", "The plan: staged changes, their commands, apply"),
    b(C::Global, &[ch('u')], A::Undo, "undo", "Stage the inverse of the last applied batch"),
    b(C::Global, &[ch(':')], A::StartCommand, "cmd", "Command mode (:accounts :groups :users :permissionsets :matrix :q)"),
    b(C::Global, &[ctrl('r')], A::Refresh, "refresh", "Reload everything from the source"),
    b(C::Global, &[ch('?')], A::ShowHelp, "help", "This help screen"),
    b(C::Global, &[ch('q'), ctrl('c')], A::Quit, "quit", "Quit (asks first when changes are staged)"),
];

/// The action bound to `ev` in the first of `contexts` that binds it.
pub fn lookup(contexts: &[Context], ev: &KeyEvent) -> Option<Action> {
    contexts.iter().find_map(|ctx| {
        BINDINGS
            .iter()
            .filter(|b| b.context == *ctx)
            .find(|b| b.keys.iter().any(|k| k.matches(ev)))
            .map(|b| b.action)
    })
}

/// The bindings to show in the bottom bar for these contexts, in order, first binding of a key wins.
pub fn hints(contexts: &[Context]) -> Vec<(String, &'static str)> {
    contexts
        .iter()
        .flat_map(|ctx| BINDINGS.iter().filter(move |b| b.context == *ctx))
        .filter(|b| !b.hint.is_empty())
        .map(|b| (b.keys_label(), b.hint))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn most_specific_context_wins() {
        let enter = ev(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            lookup(&[C::Tree, C::List, C::Global], &enter),
            Some(A::Toggle)
        );
        assert_eq!(lookup(&[C::List, C::Global], &enter), None);
        let esc = ev(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(lookup(&[C::Filter], &esc), Some(A::ClearFilter));
    }

    #[test]
    fn shifted_characters_and_control_keys() {
        assert_eq!(
            lookup(&[C::List], &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(A::Bottom)
        );
        assert_eq!(
            lookup(&[C::Global], &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(A::Quit)
        );
        assert_eq!(
            lookup(&[C::Global], &ev(KeyCode::Char('r'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            lookup(&[C::Global], &ev(KeyCode::Char('r'), KeyModifiers::CONTROL)),
            Some(A::Refresh)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.context == b.context {
                    for k in a.keys {
                        assert!(
                            !b.keys.contains(k),
                            "{} bound twice in {:?}",
                            k.label(),
                            a.context
                        );
                    }
                }
            }
        }
    }
}

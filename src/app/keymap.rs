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
    /// A word or two for the bottom bar; empty keeps the binding out of the bar.
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

pub const BINDINGS: &[Binding] = &[
    // The help screen.
    Binding {
        context: C::Help,
        keys: &[ch('j'), key(KeyCode::Down)],
        action: A::DetailDown,
        hint: "scroll",
        help: "Scroll down",
    },
    Binding {
        context: C::Help,
        keys: &[ch('k'), key(KeyCode::Up)],
        action: A::DetailUp,
        hint: "",
        help: "Scroll up",
    },
    Binding {
        context: C::Help,
        keys: &[ch('?'), key(KeyCode::Esc), ch('q')],
        action: A::CloseHelp,
        hint: "close",
        help: "Close the help screen",
    },
    // Typing a filter.
    Binding {
        context: C::Filter,
        keys: &[key(KeyCode::Enter)],
        action: A::AcceptFilter,
        hint: "keep filter",
        help: "Keep the filter and return to the list",
    },
    Binding {
        context: C::Filter,
        keys: &[key(KeyCode::Esc)],
        action: A::ClearFilter,
        hint: "clear",
        help: "Clear the filter",
    },
    Binding {
        context: C::Filter,
        keys: &[key(KeyCode::Down), ctrl('n')],
        action: A::Down,
        hint: "",
        help: "Move down while filtering",
    },
    Binding {
        context: C::Filter,
        keys: &[key(KeyCode::Up), ctrl('p')],
        action: A::Up,
        hint: "",
        help: "Move up while filtering",
    },
    // Typing a command.
    Binding {
        context: C::Command,
        keys: &[key(KeyCode::Enter)],
        action: A::RunCommand,
        hint: "run",
        help: "Run the command (:accounts :groups :users :permissionsets :q :help)",
    },
    Binding {
        context: C::Command,
        keys: &[key(KeyCode::Esc)],
        action: A::CancelCommand,
        hint: "cancel",
        help: "Cancel",
    },
    // The accounts tree.
    Binding {
        context: C::Tree,
        keys: &[ch('l'), key(KeyCode::Right)],
        action: A::Expand,
        hint: "",
        help: "Expand the OU",
    },
    Binding {
        context: C::Tree,
        keys: &[ch('h'), key(KeyCode::Left)],
        action: A::Collapse,
        hint: "",
        help: "Collapse the OU (or go to the parent OU)",
    },
    Binding {
        context: C::Tree,
        keys: &[key(KeyCode::Enter), ch(' ')],
        action: A::Toggle,
        hint: "open/close OU",
        help: "Collapse or expand the OU",
    },
    // Lists.
    Binding {
        context: C::List,
        keys: &[ch('j'), key(KeyCode::Down)],
        action: A::Down,
        hint: "down",
        help: "Move down",
    },
    Binding {
        context: C::List,
        keys: &[ch('k'), key(KeyCode::Up)],
        action: A::Up,
        hint: "up",
        help: "Move up",
    },
    Binding {
        context: C::List,
        keys: &[ch('g'), key(KeyCode::Home)],
        action: A::Top,
        hint: "",
        help: "Go to the top",
    },
    Binding {
        context: C::List,
        keys: &[ch('G'), key(KeyCode::End)],
        action: A::Bottom,
        hint: "",
        help: "Go to the bottom",
    },
    Binding {
        context: C::List,
        keys: &[key(KeyCode::PageDown), ctrl('d')],
        action: A::PageDown,
        hint: "",
        help: "Page down",
    },
    Binding {
        context: C::List,
        keys: &[key(KeyCode::PageUp), ctrl('u')],
        action: A::PageUp,
        hint: "",
        help: "Page up",
    },
    Binding {
        context: C::List,
        keys: &[ch('J')],
        action: A::DetailDown,
        hint: "",
        help: "Scroll the detail panel down",
    },
    Binding {
        context: C::List,
        keys: &[ch('K')],
        action: A::DetailUp,
        hint: "",
        help: "Scroll the detail panel up",
    },
    Binding {
        context: C::List,
        keys: &[ch('/')],
        action: A::StartFilter,
        hint: "filter",
        help: "Fuzzy-filter the pane",
    },
    Binding {
        context: C::List,
        keys: &[key(KeyCode::Esc)],
        action: A::ClearFilter,
        hint: "",
        help: "Clear the filter",
    },
    // Everywhere.
    Binding {
        context: C::Global,
        keys: &[key(KeyCode::Tab)],
        action: A::NextPane,
        hint: "",
        help: "Next pane",
    },
    Binding {
        context: C::Global,
        keys: &[key(KeyCode::BackTab)],
        action: A::PrevPane,
        hint: "",
        help: "Previous pane",
    },
    Binding {
        context: C::Global,
        keys: &[ch('1'), ch('2'), ch('3'), ch('4')],
        action: A::FocusPane,
        hint: "panes",
        help: "Accounts, Groups, Users, Permission sets",
    },
    Binding {
        context: C::Global,
        keys: &[ch(':')],
        action: A::StartCommand,
        hint: "cmd",
        help: "Command mode (:accounts :groups :users :permissionsets :q)",
    },
    Binding {
        context: C::Global,
        keys: &[ctrl('r')],
        action: A::Refresh,
        hint: "refresh",
        help: "Reload everything from the source",
    },
    Binding {
        context: C::Global,
        keys: &[ch('?')],
        action: A::ShowHelp,
        hint: "help",
        help: "This help screen",
    },
    Binding {
        context: C::Global,
        keys: &[ch('q'), ctrl('c')],
        action: A::Quit,
        hint: "quit",
        help: "Quit",
    },
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

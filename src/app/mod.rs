//! Application state and the pure update step: `App::update(msg)` changes state and returns
//! the effects for the runtime to carry out. Nothing here touches the terminal or the network.

pub mod access_view;
mod applying;
mod changes;
mod filter;
pub mod form;
pub mod inline_policy;
pub mod keymap;
pub mod matrix;
mod matrix_keys;
mod pane;
mod permission_sets;
pub mod picker;
pub mod rows;
mod views;

use std::collections::HashSet;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::model::{Directory, DirectoryIndex, Instance};
use crate::plan::store::JournalEntry;
use crate::plan::{Change, Plan};
use crate::worker::apply::ApplyEvent;
use crate::worker::{LoadEvent, LoadProgress, LoadSummary};
use keymap::{Action, Context};
pub use pane::PaneState;
pub use rows::{Item, PaneId, Row};

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// The terminal was resized: redraw.
    Resize,
    /// An event of the load with this generation.
    Load(u64, Box<LoadEvent>),
    /// An event of the apply runner.
    Apply(ApplyEvent),
    /// The plan saved for the loaded instance (or why it could not be read).
    PlanRestored(Result<Plan, String>),
    /// The last applied batch from the journal, for undo.
    LastBatch(Result<Vec<JournalEntry>, String>),
    /// Saving the plan or writing the journal failed.
    StoreError(String),
    /// An export was written (its path), or why not.
    FileWritten(Result<String, String>),
    /// The text of the inline policy after the editor closed, or why there is none.
    InlinePolicyEdited {
        permission_set_arn: String,
        result: Result<String, String>,
    },
}

/// What the runtime must do for the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Start a load; its events come back as `Msg::Load` with this generation.
    Load(u64),
    /// Apply these plan items in the background; events come back as `Msg::Apply`.
    Apply {
        instance: Instance,
        items: Vec<(u64, Change)>,
    },
    /// Save the plan (after every change to it).
    SavePlan {
        instance_arn: String,
        plan: Plan,
    },
    /// Read the plan saved for this instance; it comes back as `Msg::PlanRestored`.
    RestorePlan {
        instance_arn: String,
    },
    /// Append to the journal (the runtime stamps the time).
    Journal {
        instance_arn: String,
        entries: Vec<JournalEntry>,
    },
    /// Read the last applied batch; it comes back as `Msg::LastBatch`.
    ReadLastBatch {
        instance_arn: String,
    },
    /// Write an export; the answer comes back as `Msg::FileWritten`.
    WriteFile {
        path: String,
        contents: String,
    },
    /// Open `current` (the policy pretty-printed, or a starter) in the user's editor; the
    /// edited text comes back as `Msg::InlinePolicyEdited`.
    EditInlinePolicy {
        permission_set_arn: String,
        current: String,
    },
    Quit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub level: Level,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Filter,
    Command(String),
    Help {
        scroll: u16,
    },
    /// Typing a filter of the matrix columns (rows use `Filter`).
    ColumnFilter,
    /// The picker in `App::picker` is open.
    Picker,
    Confirm(Confirm),
    /// The plan view, with its cursor.
    Plan {
        cursor: usize,
    },
    /// The access view in `App::access` is open.
    Access,
    /// Typing the access view's filter.
    AccessFilter,
    /// The form in `App::form` is open.
    Form,
}

/// A question: its title and lines, and what `y` does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    pub on_yes: OnYes,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OnYes {
    Apply,
    Quit,
    /// Stage these changes (removals, after the question).
    Stage(Vec<Change>),
}

/// Where the data comes from, and so whether it can be reloaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A backend (demo or AWS) that loads in the background; the label names it.
    Live(String),
    /// A snapshot file: fixed, offline, read-only.
    Snapshot(String),
}

#[derive(Debug, Default)]
pub struct LoadState {
    pub generation: u64,
    pub running: bool,
    pub progress: LoadProgress,
    /// The strategy and wall time of the last load that finished.
    pub summary: Option<LoadSummary>,
    /// Data of a reload, shown once it completes so that a failed reload keeps what was there.
    incoming: Option<Directory>,
    failed: bool,
    /// The status counter when the load began.
    status_mark: u64,
}

pub struct App {
    pub dir: Directory,
    pub index: DirectoryIndex,
    pub source: Source,
    pub read_only: bool,
    pub focus: PaneId,
    pub panes: [PaneState; 5],
    pub matrix: matrix::MatrixState,
    /// Staged changes of the loaded instance.
    pub plan: Plan,
    pub collapsed: HashSet<String>,
    pub mode: Mode,
    pub status: Option<Status>,
    pub load: LoadState,
    pub picker: Option<picker::Picker>,
    pub access: Option<access_view::AccessView>,
    /// The open "new permission set" form.
    pub form: Option<form::PermissionSetForm>,
    /// Permission sets changed by the batch being applied that are provisioned somewhere:
    /// offered for re-provisioning when it ends.
    reprovision: Vec<String>,
    /// Names this run's batches in the journal (the runtime sets it from the clock).
    pub session: String,
    batches: u64,
    /// The batch being applied, whose results go to the journal.
    applying: Option<String>,
    /// The instance whose plan is loaded: a plan is restored once per instance.
    plan_instance: Option<String>,
    /// Counts status messages, so that a load can tell whether one came while it ran.
    status_seq: u64,
    /// Set when the directory changed and the index and rows must be rebuilt.
    stale: bool,
}

const COMMANDS: &str = ":accounts :groups :users :permissionsets :matrix :plan :help :q";

impl App {
    /// An app that loads from a backend: call [`App::start`] for the first load effect.
    pub fn new(source: Source, read_only: bool) -> Self {
        Self {
            dir: Directory::default(),
            index: DirectoryIndex::default(),
            source,
            read_only,
            focus: PaneId::Accounts,
            panes: Default::default(),
            matrix: matrix::MatrixState::default(),
            plan: Plan::default(),
            collapsed: HashSet::new(),
            mode: Mode::Normal,
            status: None,
            load: LoadState::default(),
            picker: None,
            access: None,
            form: None,
            reprovision: Vec::new(),
            session: "session".to_string(),
            batches: 0,
            applying: None,
            plan_instance: None,
            status_seq: 0,
            stale: true,
        }
    }

    /// An app showing a directory that is already complete (a snapshot, tests).
    pub fn with_directory(dir: Directory, source: Source) -> Self {
        let read_only = matches!(source, Source::Snapshot(_));
        let mut app = Self::new(source, read_only);
        app.dir = dir;
        app.prepare();
        app
    }

    /// The effects to run at start-up.
    pub fn start(&mut self) -> Vec<Effect> {
        match self.source {
            Source::Live(_) => vec![self.begin_load(false)],
            Source::Snapshot(_) => Vec::new(),
        }
    }

    fn begin_load(&mut self, reload: bool) -> Effect {
        self.load.generation += 1;
        self.load.running = true;
        self.load.failed = false;
        self.load.progress = LoadProgress::default();
        self.load.incoming = reload.then(Directory::default);
        self.load.status_mark = self.status_seq;
        Effect::Load(self.load.generation)
    }

    pub fn set_status(&mut self, level: Level, text: impl Into<String>) {
        self.status_seq += 1;
        self.status = Some(Status {
            level,
            text: text.into(),
        });
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) if key.kind != KeyEventKind::Release => {
                self.prepare();
                let effects = self.on_key(key);
                self.prepare();
                effects
            }
            Msg::Key(_) | Msg::Resize => Vec::new(),
            Msg::Load(generation, event) if generation == self.load.generation => {
                self.on_load(*event)
            }
            Msg::Load(..) => Vec::new(),
            Msg::Apply(event) => self.on_apply(event),
            Msg::PlanRestored(result) => self.on_plan_restored(result),
            Msg::LastBatch(result) => self.on_last_batch(result),
            Msg::FileWritten(result) => self.on_file_written(result),
            Msg::InlinePolicyEdited {
                permission_set_arn,
                result,
            } => self.on_inline_policy_edited(permission_set_arn, result),
            Msg::StoreError(e) => {
                self.set_status(Level::Error, e);
                Vec::new()
            }
        }
    }

    fn on_load(&mut self, event: LoadEvent) -> Vec<Effect> {
        let mut effects = Vec::new();
        if let LoadEvent::Instance(instance) = &event
            && self.plan_instance.as_ref() != Some(&instance.instance_arn)
        {
            // The staged changes of this instance, saved by an earlier run.
            self.plan_instance = Some(instance.instance_arn.clone());
            effects.push(Effect::RestorePlan {
                instance_arn: instance.instance_arn.clone(),
            });
        }
        let target = self.load.incoming.as_mut().unwrap_or(&mut self.dir);
        if event.apply_to(target) {
            if self.load.incoming.is_none() {
                self.stale = true;
            }
            return effects;
        }
        match event {
            LoadEvent::Progress { stage, done, total } => {
                self.load.progress.update(stage, done, total)
            }
            LoadEvent::Warning(w) => self.set_status(Level::Warn, w),
            LoadEvent::Error(e) => {
                self.load.failed = true;
                self.set_status(Level::Error, format!("{e} — Ctrl-r retries"));
            }
            LoadEvent::Finished(summary) => {
                self.load.running = false;
                let elapsed = summary.elapsed;
                self.load.summary = Some(summary);
                if let Some(incoming) = self.load.incoming.take() {
                    if self.load.failed {
                        // Keep what was there and add what did arrive.
                        merge(&mut self.dir, incoming);
                    } else {
                        self.dir = incoming;
                    }
                    self.stale = true;
                }
                if !self.load.failed {
                    let loaded = format!("loaded in {:.1} s", elapsed.as_secs_f64());
                    // Keep what was said during the load (a warning, a restored plan).
                    match self.status.clone() {
                        Some(s) if self.status_seq > self.load.status_mark => {
                            self.set_status(s.level, format!("{} · {loaded}", s.text));
                        }
                        _ => self.set_status(Level::Info, loaded),
                    }
                }
            }
            _ => {}
        }
        effects
    }

    /// Rebuilds the index and the rows of every pane if the directory changed. The runtime
    /// calls this once per batch of messages, before drawing.
    pub fn prepare(&mut self) {
        if self.stale {
            self.index = DirectoryIndex::build(&self.dir);
            for pane in PaneId::ALL {
                self.panes[pane.index()].invalidate();
            }
            self.matrix.invalidate();
            self.stale = false;
        }
        for pane in PaneId::ALL {
            self.panes[pane.index()].refresh(pane, &self.dir, &self.index, &self.collapsed);
        }
        // Pending marks are read from the plan when drawing; the plan only tells the matrix
        // which principals need a column. Lookups are rebuilt only while it is on screen.
        self.matrix.note_plan(&self.plan);
        if self.focus == PaneId::Matrix {
            self.matrix.refresh(&self.dir, &self.index);
        }
    }

    /// A batch is being applied (until its last status and its summary came back).
    pub fn is_applying(&self) -> bool {
        self.applying.is_some()
    }

    pub fn pane(&self, pane: PaneId) -> &PaneState {
        &self.panes[pane.index()]
    }

    fn focused(&mut self) -> &mut PaneState {
        &mut self.panes[self.focus.index()]
    }

    /// The item under the cursor in the focused pane.
    pub fn selected(&self) -> Option<&Item> {
        self.pane(self.focus).selected().map(|r| &r.item)
    }

    /// The contexts whose bindings apply now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match self.mode {
            Mode::Help { .. } => vec![Context::Help],
            Mode::Filter | Mode::ColumnFilter => vec![Context::Filter],
            Mode::Command(_) => vec![Context::Command],
            Mode::Picker => vec![Context::Picker],
            Mode::Confirm(_) => vec![Context::Confirm],
            Mode::Plan { .. } => vec![Context::Plan],
            Mode::Access => vec![Context::Access],
            Mode::AccessFilter => vec![Context::Filter],
            Mode::Form => vec![Context::Form],
            Mode::Normal => match self.focus {
                PaneId::Accounts if self.pane(self.focus).filter.is_empty() => {
                    vec![Context::Tree, Context::List, Context::Global]
                }
                PaneId::Groups | PaneId::Users => {
                    vec![Context::Principal, Context::List, Context::Global]
                }
                PaneId::Matrix => vec![Context::Matrix, Context::Global],
                PaneId::PermissionSets => {
                    vec![Context::PermissionSets, Context::List, Context::Global]
                }
                _ => vec![Context::List, Context::Global],
            },
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if let Some(action) = keymap::lookup(&self.contexts(), &key) {
            return self.act(action, key);
        }
        let typed = match key.code {
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(c)
            }
            _ => None,
        };
        let backspace = key.code == KeyCode::Backspace;
        match &mut self.mode {
            Mode::Filter | Mode::ColumnFilter | Mode::Picker | Mode::AccessFilter => {
                if typed.is_some() || backspace {
                    self.edit_filter(typed);
                }
            }
            Mode::Command(text) => match typed {
                Some(c) => text.push(c),
                None if backspace && text.is_empty() => self.mode = Mode::Normal,
                None if backspace => {
                    text.pop();
                }
                None => {}
            },
            Mode::Form => {
                if let Some(form) = &mut self.form {
                    match typed {
                        Some(c) => form.type_char(c),
                        None if backspace => form.backspace(),
                        None => {}
                    }
                }
            }
            Mode::Normal => {
                if let Some(c) = typed {
                    self.set_status(
                        Level::Info,
                        format!("'{c}' does nothing here — press ? for the keys"),
                    );
                }
            }
            Mode::Help { .. } | Mode::Confirm(_) | Mode::Plan { .. } | Mode::Access => {}
        }
        Vec::new()
    }

    /// Types `c` (or deletes with `None`) into whichever filter is being edited.
    fn edit_filter(&mut self, c: Option<char>) {
        let edit = |text: &mut String| match c {
            Some(c) => text.push(c),
            None => {
                text.pop();
            }
        };
        match self.mode {
            Mode::Picker => {
                if let Some(picker) = &mut self.picker {
                    edit(&mut picker.filter);
                    picker.refilter();
                }
            }
            Mode::AccessFilter => {
                if let Some(view) = &mut self.access {
                    edit(&mut view.filter);
                    view.filter_changed();
                }
            }
            Mode::ColumnFilter => {
                edit(&mut self.matrix.col_filter);
                self.matrix.filter_changed();
            }
            Mode::Filter if self.focus == PaneId::Matrix => {
                edit(&mut self.matrix.row_filter);
                self.matrix.filter_changed();
            }
            _ => {
                let pane = self.focused();
                edit(&mut pane.filter);
                pane.filter_changed();
            }
        }
    }

    fn act(&mut self, action: Action, key: KeyEvent) -> Vec<Effect> {
        match self.mode {
            Mode::Picker => return self.picker_action(action),
            Mode::Plan { .. } => return self.plan_action(action),
            Mode::Confirm(_) => return self.confirm_action(action),
            Mode::Access | Mode::AccessFilter => return self.access_action(action),
            Mode::Form => return self.form_action(action, key),
            _ => {}
        }
        if self.focus == PaneId::Matrix && self.matrix_action(action) {
            return Vec::new();
        }
        let page = self.focused().page.max(1);
        match action {
            Action::Quit => return self.quit(),
            Action::NextPane => self.focus_pane(self.focus.next()),
            Action::PrevPane => self.focus_pane(self.focus.prev()),
            Action::FocusPane => {
                if let KeyCode::Char(c @ '1'..='5') = key.code {
                    let n = c as usize - '1' as usize;
                    self.focus_pane(PaneId::ALL[n]);
                }
            }
            Action::Up => self.focused().move_by(-1),
            Action::Down => self.focused().move_by(1),
            Action::PageUp => self.focused().move_by(-(page as isize)),
            Action::PageDown => self.focused().move_by(page as isize),
            Action::Top => self.focused().move_to(0),
            Action::Bottom => self.focused().move_to(usize::MAX),
            Action::Expand => self.set_expanded(Some(true)),
            Action::Collapse => self.set_expanded(Some(false)),
            Action::Toggle => self.set_expanded(None),
            Action::DetailDown => match &mut self.mode {
                Mode::Help { scroll } => *scroll = scroll.saturating_add(1),
                _ => self.focused().detail_scroll = self.focused().detail_scroll.saturating_add(1),
            },
            Action::DetailUp => match &mut self.mode {
                Mode::Help { scroll } => *scroll = scroll.saturating_sub(1),
                _ => self.focused().detail_scroll = self.focused().detail_scroll.saturating_sub(1),
            },
            Action::StartFilter => self.mode = Mode::Filter,
            Action::AcceptFilter => self.mode = Mode::Normal,
            Action::ClearFilter => {
                self.mode = Mode::Normal;
                let pane = self.focused();
                if !pane.filter.is_empty() {
                    pane.filter.clear();
                    pane.filter_changed();
                }
            }
            Action::StartCommand => self.mode = Mode::Command(String::new()),
            Action::CancelCommand => self.mode = Mode::Normal,
            Action::RunCommand => {
                let Mode::Command(text) = std::mem::replace(&mut self.mode, Mode::Normal) else {
                    return Vec::new();
                };
                return self.run_command(text.trim());
            }
            Action::ShowHelp => self.mode = Mode::Help { scroll: 0 },
            Action::CloseHelp => self.mode = Mode::Normal,
            Action::Refresh => return self.refresh(),
            Action::Assign => return self.start_assign(),
            Action::AddMembers => return self.start_add_members(),
            Action::OpenAccess => return self.open_access(),
            Action::RemoveMembers => return self.start_remove_members(),
            Action::NewPermissionSet => self.start_create_permission_set(),
            Action::AttachPolicy => self.start_attach_policy(),
            Action::Provision => return self.stage_provision(),
            Action::EditPermissionSet => self.start_edit_permission_set(),
            Action::DetachPolicy => self.start_detach_policy(),
            Action::AttachCustomerPolicy => self.start_attach_customer_policy(),
            Action::DeletePermissionSet => self.start_delete_permission_set(),
            Action::EditInlinePolicy => return self.start_edit_inline_policy(),
            Action::ShowPlan => self.mode = Mode::Plan { cursor: 0 },
            Action::Undo => return self.undo(),
            // Bound only in the matrix, the pickers, the plan and questions.
            Action::Left
            | Action::Right
            | Action::CycleColumns
            | Action::StartColumnFilter
            | Action::Remove
            | Action::ClosePlan
            | Action::DropItem
            | Action::Apply
            | Action::Mark
            | Action::Accept
            | Action::Cancel
            | Action::Confirm
            | Action::CloseAccess
            | Action::Drill
            | Action::ExportCsv
            | Action::ExportJson
            | Action::NextField
            | Action::PrevField
            | Action::CycleChoice
            | Action::Submit => {}
        }
        Vec::new()
    }

    fn focus_pane(&mut self, pane: PaneId) {
        self.focus = pane;
    }

    fn refresh(&mut self) -> Vec<Effect> {
        match &self.source {
            Source::Snapshot(path) => {
                self.set_status(
                    Level::Info,
                    format!("browsing the snapshot {path}: nothing to refresh"),
                );
                Vec::new()
            }
            Source::Live(_) if self.load.running => {
                self.set_status(Level::Info, "a load is already running");
                Vec::new()
            }
            Source::Live(_) => {
                self.set_status(Level::Info, "reloading…");
                vec![self.begin_load(true)]
            }
        }
    }

    fn run_command(&mut self, text: &str) -> Vec<Effect> {
        let pane = match text {
            "q" | "q!" | "quit" => return vec![Effect::Quit],
            "help" | "h" => {
                self.mode = Mode::Help { scroll: 0 };
                return Vec::new();
            }
            "accounts" | "account" | "a" => PaneId::Accounts,
            "groups" | "group" | "g" => PaneId::Groups,
            "users" | "user" | "u" => PaneId::Users,
            "permissionsets" | "permission-sets" | "ps" => PaneId::PermissionSets,
            "matrix" | "m" => PaneId::Matrix,
            "plan" | "p" => {
                self.mode = Mode::Plan { cursor: 0 };
                return Vec::new();
            }
            "" => return Vec::new(),
            other => {
                self.set_status(
                    Level::Error,
                    format!("unknown command :{other} — try {COMMANDS}"),
                );
                return Vec::new();
            }
        };
        self.focus_pane(pane);
        Vec::new()
    }

    /// Expands (`Some(true)`), collapses (`Some(false)`) or toggles the OU under the cursor.
    /// Collapsing an account or a collapsed OU moves to its parent OU.
    fn set_expanded(&mut self, want: Option<bool>) {
        let Some(item) = self.selected().cloned() else {
            return;
        };
        match item {
            Item::Ou { id, expanded, .. } => {
                let expand = want.unwrap_or(!expanded);
                if expand == expanded {
                    if !expand {
                        self.select_parent_ou(
                            self.dir.ous.get(&id).and_then(|o| o.parent_id.clone()),
                        );
                    }
                    return;
                }
                if expand {
                    self.collapsed.remove(&id);
                } else {
                    self.collapsed.insert(id);
                }
                self.panes[PaneId::Accounts.index()].invalidate();
            }
            Item::Account { id, .. } if want == Some(false) => {
                let parent = self.dir.accounts.get(&id).and_then(|a| a.parent_id.clone());
                self.select_parent_ou(parent);
            }
            _ => {}
        }
    }

    fn select_parent_ou(&mut self, parent: Option<String>) {
        let Some(parent) = parent else { return };
        let pane = &mut self.panes[PaneId::Accounts.index()];
        if let Some(pos) = pane
            .rows
            .iter()
            .position(|r| matches!(&r.item, Item::Ou { id, .. } if *id == parent))
        {
            pane.move_to(pos);
        }
    }
}

fn merge(dir: &mut Directory, incoming: Directory) {
    if incoming.instance.is_some() {
        dir.instance = incoming.instance;
    }
    dir.add_ous(incoming.ous.into_values());
    dir.add_accounts(incoming.accounts.into_values());
    dir.add_groups(incoming.groups.into_values());
    dir.add_users(incoming.users.into_values());
    dir.add_permission_sets(incoming.permission_sets.into_values());
    dir.add_memberships(incoming.memberships.into_values());
    dir.add_assignments(incoming.assignments);
}

#[cfg(test)]
mod tests;

//! Runs the app's effects: loads and applies on tokio tasks, the plan and the journal on
//! disk, and feeds every answer back to `App::update`. No terminal here, so that tests drive
//! the whole app, workers included, exactly as the TUI does.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::app::{App, Effect, Msg};
use crate::backend::Backend;
use crate::plan::store::Store;
use crate::worker::apply::{self, ApplyOptions};
use crate::worker::loader::{self, LoadOptions};

/// Edits a text (an inline policy) and answers the edited text, or why there is none. The
/// terminal loop runs `$EDITOR`; tests inject the edit.
#[derive(Clone)]
pub struct EditorHook(pub Arc<EditFn>);

/// The edit itself: the text in, the edited text (or why not) out.
pub type EditFn = dyn Fn(&str) -> Result<String, String> + Send + Sync;

impl EditorHook {
    pub fn new(edit: impl Fn(&str) -> Result<String, String> + Send + Sync + 'static) -> Self {
        Self(Arc::new(edit))
    }
}

impl std::fmt::Debug for EditorHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EditorHook")
    }
}

/// What the runtime needs besides the app: how to load and apply, where to keep the plan and
/// the journal (none: staged changes live only as long as the process), and how to edit a
/// text (none: there is no terminal to run an editor in).
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub load: LoadOptions,
    pub apply: ApplyOptions,
    pub state_dir: Option<PathBuf>,
    pub editor: Option<EditorHook>,
}

pub struct Runtime {
    backend: Option<Arc<dyn Backend>>,
    opts: Options,
    tx: UnboundedSender<Msg>,
    rx: UnboundedReceiver<Msg>,
}

impl Runtime {
    pub fn new(backend: Option<Arc<dyn Backend>>, opts: Options) -> Self {
        let (tx, rx) = unbounded_channel();
        Self {
            backend,
            opts,
            tx,
            rx,
        }
    }

    /// A sender for messages from outside (the terminal's input thread).
    pub fn sender(&self) -> UnboundedSender<Msg> {
        self.tx.clone()
    }

    /// Runs effects, and the effects of their answers; true when the app asked to quit.
    pub fn execute(&self, app: &mut App, effects: Vec<Effect>) -> bool {
        let mut pending = effects;
        while !pending.is_empty() {
            match pending.remove(0) {
                Effect::Quit => return true,
                Effect::Load(generation) => self.spawn_load(generation),
                Effect::Apply { instance, items } => self.spawn_apply(instance, items),
                Effect::WriteFile { path, contents } => {
                    // Name the file in full: the user must find it outside idc.
                    let full = std::env::current_dir()
                        .map_or_else(|_| path.clone().into(), |d| d.join(&path));
                    let result = std::fs::write(&full, contents)
                        .map(|()| full.display().to_string())
                        .map_err(|e| format!("{}: cannot write the export: {e}", full.display()));
                    pending.extend(app.update(Msg::FileWritten(result)));
                }
                Effect::EditInlinePolicy {
                    permission_set_arn,
                    current,
                } => {
                    let result = match &self.opts.editor {
                        Some(edit) => (edit.0)(&current),
                        None => Err(
                            "editing the inline policy needs the terminal: no editor can run here"
                                .to_string(),
                        ),
                    };
                    pending.extend(app.update(Msg::InlinePolicyEdited {
                        permission_set_arn,
                        result,
                    }));
                }
                other => {
                    if let Some(msg) = store_effect(self.opts.state_dir.as_deref(), other) {
                        pending.extend(app.update(msg));
                    }
                }
            }
        }
        false
    }

    /// Waits for the next message and everything queued behind it, updating the app and
    /// running the effects; false when the app asked to quit or nothing can arrive any more.
    pub async fn step(&mut self, app: &mut App) -> bool {
        let Some(msg) = self.rx.recv().await else {
            return false;
        };
        let effects = app.update(msg);
        if self.execute(app, effects) {
            return false;
        }
        // Fold in everything else that is waiting before drawing again: a load sends many
        // small messages, and drawing once per message would fall behind.
        while let Ok(msg) = self.rx.try_recv() {
            let effects = app.update(msg);
            if self.execute(app, effects) {
                return false;
            }
        }
        app.prepare();
        true
    }

    fn spawn_load(&self, generation: u64) {
        let Some(backend) = self.backend.clone() else {
            return;
        };
        let tx = self.tx.clone();
        let emit: loader::Emit = Arc::new(move |event| {
            // The app may have quit: nothing to tell then.
            let _ = tx.send(Msg::Load(generation, Box::new(event)));
        });
        tokio::spawn(loader::run(backend, self.opts.load.clone(), emit));
    }

    fn spawn_apply(
        &self,
        instance: crate::model::Instance,
        items: Vec<(u64, crate::plan::Change)>,
    ) {
        let Some(backend) = self.backend.clone() else {
            return;
        };
        let tx = self.tx.clone();
        let emit: apply::Emit = Arc::new(move |event| {
            let _ = tx.send(Msg::Apply(event));
        });
        tokio::spawn(apply::run(
            backend,
            instance,
            items,
            self.opts.apply.clone(),
            emit,
        ));
    }
}

/// Carries out the effects that read or write the state directory; file I/O is quick, so
/// it runs here and any answer comes back as a message.
fn store_effect(state_dir: Option<&std::path::Path>, effect: Effect) -> Option<Msg> {
    let Some(state_dir) = state_dir else {
        return match effect {
            Effect::RestorePlan { .. } => None,
            Effect::ReadLastBatch { .. } => Some(Msg::LastBatch(Err(
                "no state directory (set IDC_STATE_DIR or HOME): there is no journal to undo from"
                    .to_string(),
            ))),
            _ => None,
        };
    };
    match effect {
        Effect::SavePlan { instance_arn, plan } => Store::new(state_dir, &instance_arn)
            .save_plan(&plan)
            .err()
            .map(Msg::StoreError),
        Effect::RestorePlan { instance_arn } => Some(Msg::PlanRestored(
            Store::new(state_dir, &instance_arn).load_plan(),
        )),
        Effect::Journal {
            instance_arn,
            mut entries,
        } => {
            let time = crate::clock::now_rfc3339();
            for e in &mut entries {
                e.time.clone_from(&time);
            }
            Store::new(state_dir, &instance_arn)
                .append_journal(&entries)
                .err()
                .map(Msg::StoreError)
        }
        Effect::ReadLastBatch { instance_arn } => Some(Msg::LastBatch(
            Store::new(state_dir, &instance_arn).last_batch(),
        )),
        Effect::WriteFile { .. }
        | Effect::EditInlinePolicy { .. }
        | Effect::Quit
        | Effect::Load(_)
        | Effect::Apply { .. } => None,
    }
}

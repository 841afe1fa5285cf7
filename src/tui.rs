//! The terminal runtime: raw mode and the alternate screen (restored on quit, error and
//! panic), an input thread, and the loop that feeds messages to the app, runs its effects on
//! tokio tasks and redraws. It never awaits the network itself.

use std::sync::Arc;

use crossterm::event::{self, Event};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::app::{App, Effect, Msg};
use crate::backend::Backend;
use crate::worker::loader::{self, LoadOptions};

/// Restores the terminal however the loop ends.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// Runs the app until it quits; returns it so that the caller can report on it.
pub async fn run(
    mut app: App,
    backend: Option<Arc<dyn Backend>>,
    load: LoadOptions,
) -> anyhow::Result<App> {
    // `init` also installs a panic hook that restores the terminal before the message prints.
    let mut terminal = ratatui::try_init()?;
    let _restore = Restore;
    let (tx, mut rx) = unbounded_channel::<Msg>();
    spawn_input(tx.clone());

    let mut pending = app.start();
    loop {
        for effect in pending.drain(..) {
            match effect {
                Effect::Quit => return Ok(app),
                Effect::Load(generation) => spawn_load(&backend, &load, generation, tx.clone()),
            }
        }
        app.prepare();
        terminal.draw(|f| crate::ui::draw(f, &app))?;
        let Some(msg) = rx.recv().await else {
            return Ok(app);
        };
        pending.extend(app.update(msg));
        // Fold in everything else that is waiting before drawing again: a load sends many
        // small messages, and drawing once per message would fall behind.
        while pending.is_empty() {
            let Ok(msg) = rx.try_recv() else { break };
            pending.extend(app.update(msg));
        }
    }
}

fn spawn_input(tx: UnboundedSender<Msg>) {
    std::thread::spawn(move || {
        loop {
            let msg = match event::read() {
                Ok(Event::Key(key)) => Msg::Key(key),
                Ok(Event::Resize(..)) => Msg::Resize,
                Ok(_) => continue,
                Err(_) => break,
            };
            if tx.send(msg).is_err() {
                break;
            }
        }
    });
}

fn spawn_load(
    backend: &Option<Arc<dyn Backend>>,
    opts: &LoadOptions,
    generation: u64,
    tx: UnboundedSender<Msg>,
) {
    let Some(backend) = backend.clone() else {
        return;
    };
    let emit: loader::Emit = Arc::new(move |event| {
        // The app may have quit: nothing to tell then.
        let _ = tx.send(Msg::Load(generation, Box::new(event)));
    });
    tokio::spawn(loader::run(backend, opts.clone(), emit));
}

//! The terminal: raw mode and the alternate screen (restored on quit, error and panic), an
//! input thread, and drawing after every batch of messages. The runtime does the rest; this
//! loop never awaits the network itself.

use std::sync::Arc;

use crossterm::event::{self, Event};
use tokio::sync::mpsc::UnboundedSender;

use crate::app::{App, Msg};
use crate::backend::Backend;
use crate::runtime::{Options, Runtime};

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
    opts: Options,
) -> anyhow::Result<App> {
    // `init` also installs a panic hook that restores the terminal before the message prints.
    // The plan is saved after every change, so a panic loses nothing staged.
    let mut terminal = ratatui::try_init()?;
    let _restore = Restore;
    let mut runtime = Runtime::new(backend, opts);
    spawn_input(runtime.sender());
    app.session = crate::clock::now_rfc3339();
    let effects = app.start();
    if runtime.execute(&mut app, effects) {
        return Ok(app);
    }
    loop {
        app.prepare();
        terminal.draw(|f| crate::ui::draw(f, &app))?;
        if !runtime.step(&mut app).await {
            return Ok(app);
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

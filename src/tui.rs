//! The terminal: raw mode and the alternate screen (restored on quit, error and panic), an
//! input thread, and drawing after every batch of messages. The runtime does the rest; this
//! loop never awaits the network itself.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};
use tokio::sync::mpsc::UnboundedSender;

use crate::app::{App, Msg};
use crate::backend::Backend;
use crate::runtime::{EditorHook, Options, Runtime};

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
    mut opts: Options,
) -> anyhow::Result<App> {
    // `init` also installs a panic hook that restores the terminal before the message prints.
    // The plan is saved after every change, so a panic loses nothing staged.
    let mut terminal = ratatui::try_init()?;
    let _restore = Restore;
    let input = Arc::new(InputPause::default());
    let redraw = Arc::new(AtomicBool::new(false));
    opts.editor = Some(editor_hook(Arc::clone(&input), Arc::clone(&redraw)));
    let mut runtime = Runtime::new(backend, opts);
    spawn_input(runtime.sender(), Arc::clone(&input));
    app.session = crate::clock::now_rfc3339();
    let effects = app.start();
    if runtime.execute(&mut app, effects) {
        return Ok(app);
    }
    loop {
        app.prepare();
        if redraw.swap(false, Ordering::SeqCst) {
            // The editor drew over the screen: draw every cell again.
            terminal.clear()?;
        }
        terminal.draw(|f| crate::ui::draw(f, &app))?;
        if !runtime.step(&mut app).await {
            return Ok(app);
        }
    }
}

/// Stops the input thread from reading the terminal while an editor owns it.
#[derive(Default)]
struct InputPause {
    /// Asked for by the editor hook.
    pause: AtomicBool,
    /// Set by the input thread once it no longer reads.
    parked: AtomicBool,
}

/// Leaves the TUI, runs the editor on the text in a temporary file, and comes back.
fn editor_hook(input: Arc<InputPause>, redraw: Arc<AtomicBool>) -> EditorHook {
    EditorHook::new(move |text| {
        input.pause.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(1);
        while !input.parked.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        ratatui::restore();
        let editor = editor_command();
        let result = edit_with(&editor, text);
        let back = crossterm::terminal::enable_raw_mode().and_then(|()| {
            crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)
        });
        input.pause.store(false, Ordering::SeqCst);
        redraw.store(true, Ordering::SeqCst);
        back.map_err(|e| format!("cannot take the terminal back: {e}"))?;
        result
    })
}

/// `$EDITOR`, else `$VISUAL`, else `vi`.
fn editor_command() -> String {
    ["EDITOR", "VISUAL"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Writes `text` to a new temporary file, runs `editor` (split on whitespace, so that
/// "code -w" works) on it, and answers what the file holds then; the file is removed.
pub fn edit_with(editor: &str, text: &str) -> Result<String, String> {
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let path = std::env::temp_dir().join(format!(
        "idc-inline-policy-{}-{nanos}.json",
        std::process::id()
    ));
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let status = std::process::Command::new(program)
        .args(words)
        .arg(&path)
        .status();
    let result = match status {
        Ok(s) if s.success() => std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {} back: {e}", path.display())),
        Ok(s) => Err(format!("the editor ({editor}) exited with {s}")),
        Err(e) => Err(format!(
            "cannot run the editor ({editor}): {e} — set EDITOR"
        )),
    };
    let _ = std::fs::remove_file(&path);
    result
}

fn spawn_input(tx: UnboundedSender<Msg>, input: Arc<InputPause>) {
    std::thread::spawn(move || {
        loop {
            if input.pause.load(Ordering::SeqCst) {
                input.parked.store(true, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
            input.parked.store(false, Ordering::SeqCst);
            // Poll rather than block, so that a pause is noticed while no key comes.
            match event::poll(Duration::from_millis(50)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => break,
            }
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

#[cfg(test)]
mod tests {
    use super::edit_with;

    #[test]
    fn the_editor_edits_a_temporary_file_that_is_removed_afterwards() {
        // `true` leaves the file as it is: the text comes back unchanged.
        assert_eq!(edit_with("true", "{}\n"), Ok("{}\n".to_string()));
        let err = edit_with("false", "{}").expect_err("an error");
        assert!(err.contains("exited with"), "{err}");
        let err = edit_with("/nonexistent/editor --wait", "{}").expect_err("an error");
        assert!(err.contains("cannot run the editor"), "{err}");
        let left = std::fs::read_dir(std::env::temp_dir())
            .expect("the temporary folder")
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("idc-inline-policy-{}-", std::process::id()))
            })
            .count();
        assert_eq!(left, 0);
    }
}

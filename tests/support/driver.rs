//! The whole app without a terminal: keys into `App::update`, effects run by the same
//! runtime as the TUI, against any backend.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use idc::app::{App, Msg, Source};
use idc::backend::Backend;
use idc::runtime::{Options, Runtime};
use idc::worker::apply::ApplyOptions;

pub struct Driver {
    pub app: App,
    pub runtime: Runtime,
}

/// Quick polling and backoff, and the plan and journal kept in `state_dir`.
pub fn options(state_dir: &std::path::Path) -> Options {
    Options {
        apply: ApplyOptions {
            poll_interval: Duration::from_millis(20),
            backoff: Duration::from_millis(10),
            ..ApplyOptions::default()
        },
        state_dir: Some(state_dir.to_path_buf()),
        ..Options::default()
    }
}

impl Driver {
    /// Starts the app on `backend` and waits for the first load to finish.
    pub async fn start(backend: Arc<dyn Backend>, opts: Options) -> Self {
        let runtime = Runtime::new(Some(backend), opts);
        let mut app = App::new(Source::Live("test".into()), false);
        let effects = app.start();
        runtime.execute(&mut app, effects);
        let mut d = Self { app, runtime };
        d.until(|app| !app.load.running).await;
        d
    }

    /// Runs the app until `done` holds (30 s at most, then the test fails with the status).
    pub async fn until(&mut self, done: impl Fn(&App) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while !done(&self.app) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out; status: {:?}",
                self.app.status
            );
            let _ =
                tokio::time::timeout(Duration::from_millis(200), self.runtime.step(&mut self.app))
                    .await;
        }
        self.app.prepare();
    }

    /// Until every plan item has finished.
    pub async fn until_applied(&mut self) {
        // The summary comes after the last status: wait for both.
        self.until(|app| {
            !app.plan.items.is_empty()
                && app.plan.items.iter().all(|i| i.status.is_final())
                && !app.is_applying()
        })
        .await;
    }

    /// Fails the test, naming the item, unless every plan item succeeded.
    pub fn assert_all_succeeded(&self) {
        for item in &self.app.plan.items {
            assert!(
                matches!(item.status, idc::plan::ItemStatus::Succeeded { .. }),
                "{item:?}"
            );
        }
    }

    /// Types keys: `\n` is Enter, `\x1b` is Esc, `\t` is Tab, anything else the character.
    pub fn keys(&mut self, keys: &str) {
        for c in keys.chars() {
            let code = match c {
                '\n' => KeyCode::Enter,
                '\x1b' => KeyCode::Esc,
                '\t' => KeyCode::Tab,
                c => KeyCode::Char(c),
            };
            self.key(code, KeyModifiers::NONE);
        }
    }

    /// One key with modifiers, e.g. Ctrl-s.
    pub fn key(&mut self, code: KeyCode, mods: KeyModifiers) {
        let effects = self.app.update(Msg::Key(KeyEvent::new(code, mods)));
        self.runtime.execute(&mut self.app, effects);
    }

    pub fn group_id(&self, name: &str) -> String {
        self.app
            .dir
            .groups
            .values()
            .find(|g| g.display_name == name)
            .map(|g| g.id.clone())
            .unwrap_or_else(|| panic!("no group {name}"))
    }
}

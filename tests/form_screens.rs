//! The "new permission set" form and the managed policy picker as a person sees them: keys
//! into the app, drawn on ratatui's TestBackend, compared with reviewed snapshots.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use idc::app::form::Field;
use idc::app::{App, Mode, Msg, Source};
use idc::backend::demo::demo_organization;
use ratatui::style::Color;
use support::screen::{demo, draw, find, keys, text};

fn ctrl_s(app: &mut App) {
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
}

#[test]
fn the_form_says_what_is_wrong_under_each_field_and_stages_nothing() {
    let mut app = demo();
    keys(&mut app, "4n");
    assert_eq!(app.mode, Mode::Form);
    keys(&mut app, "Read Only\tEC2 read only\t\tftp://example.com");
    ctrl_s(&mut app);
    assert_eq!(app.mode, Mode::Form, "the form stays open");
    assert_eq!(app.plan.staged().count(), 0, "nothing is staged");
    let buffer = draw(&mut app, 120, 36);
    let screen = text(&buffer);
    // The messages are under their fields, in the danger colour.
    let (x, y) = find(&buffer, "✗ a space is not allowed in a name").expect(&screen);
    let (_, name_y) = find(&buffer, "Read Only").expect(&screen);
    assert_eq!(y, name_y + 1, "{screen}");
    assert_eq!(buffer[(x, y)].fg, Color::Red, "{screen}");
    assert!(
        screen.contains("✗ the relay state must be a URL starting with https:// or http://"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);

    // The focus went to the first bad field. Correcting both fields and pressing Enter on
    // the last field stages the creation.
    assert_eq!(app.form.as_ref().map(|f| f.focus), Some(Field::Name));
    for _ in 0..5 {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Backspace,
            KeyModifiers::NONE,
        )));
    }
    keys(&mut app, "_EC2\t\t\t");
    for _ in 0.."ftp://example.com".len() {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Backspace,
            KeyModifiers::NONE,
        )));
    }
    keys(&mut app, "https://console.aws.amazon.com/ec2/\n");
    assert_eq!(app.mode, Mode::Normal, "{:?}", app.form);
    assert_eq!(app.plan.staged().count(), 1);
}

#[test]
fn the_policy_picker_offers_a_typed_arn() {
    let mut app = demo();
    keys(&mut app, "4A");
    assert_eq!(app.mode, Mode::Picker);
    let screen = text(&draw(&mut app, 120, 32));
    assert!(screen.contains("AmazonEC2ReadOnlyAccess"), "{screen}");
    let picker = app.picker.as_ref().expect("picker");
    assert!(
        picker
            .items
            .iter()
            .any(|i| i.key == "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
    );
    keys(
        &mut app,
        "arn:aws:iam::aws:policy/service-role/AWSConfigRole",
    );
    let screen = text(&draw(&mut app, 120, 32));
    assert!(
        screen.contains(
            "Enter attaches the typed ARN arn:aws:iam::aws:policy/service-role/AWSConfigRole"
        ),
        "{screen}"
    );
    keys(&mut app, "\n");
    assert_eq!(app.plan.staged().count(), 1, "{:?}", app.status);
}

#[test]
fn read_only_refuses_n_a_and_p() {
    let mut app = App::with_directory(demo_organization(), Source::Snapshot("snap.json".into()));
    for key in ["4n", "A", "P"] {
        keys(&mut app, key);
        assert_eq!(app.mode, Mode::Normal, "{key}");
        let status = app.status.clone().expect("a status");
        assert!(status.text.contains("is disabled"), "{key}: {status:?}");
    }
    assert!(app.plan.is_empty());
}

#[test]
fn the_edit_form_shows_the_name_fixed_and_the_detach_picker_lists_what_is_attached() {
    let mut app = demo();
    keys(&mut app, "4/ReadOnlyAccess\ne");
    assert_eq!(app.mode, Mode::Form);
    let screen = text(&draw(&mut app, 120, 36));
    assert!(screen.contains(" Edit permission set "), "{screen}");
    assert!(
        screen.contains("ReadOnlyAccess  (the name cannot be changed)"),
        "{screen}"
    );
    let description = app
        .form
        .as_ref()
        .map(|f| f.description.clone())
        .expect("the form is open");
    assert!(!description.is_empty());
    assert!(screen.contains(&description[..20]), "{screen}");
    assert!(screen.contains("C-s save"), "{screen}");
    // Blanking the description is refused under its field.
    for _ in 0..description.chars().count() {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Backspace,
            KeyModifiers::NONE,
        )));
    }
    ctrl_s(&mut app);
    let screen = text(&draw(&mut app, 120, 36));
    assert!(
        screen.contains("✗ AWS cannot remove a description"),
        "{screen}"
    );
    assert_eq!(app.plan.staged().count(), 0);
    keys(&mut app, "\x1bD");
    assert_eq!(app.mode, Mode::Picker);
    let screen = text(&draw(&mut app, 120, 36));
    assert!(
        screen.contains("Detach a managed policy from ReadOnlyAccess"),
        "{screen}"
    );
    assert!(
        screen.contains("arn:aws:iam::aws:policy/ReadOnlyAccess"),
        "{screen}"
    );
}

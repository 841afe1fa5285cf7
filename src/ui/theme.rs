//! The few styles idc uses, in one place.

use ratatui::style::{Color, Modifier, Style};

pub fn focused_border() -> Style {
    Style::default().fg(Color::Cyan)
}

pub fn border() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn selected() -> Style {
    Style::default()
        .bg(Color::Rgb(40, 60, 90))
        .add_modifier(Modifier::BOLD)
}

pub fn header() -> Style {
    Style::default()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

pub fn ou() -> Style {
    Style::default()
        .fg(Color::Blue)
        .add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn matched() -> Style {
    Style::default()
        .fg(Color::Magenta)
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn danger() -> Style {
    Style::default().fg(Color::Red)
}

pub fn warning() -> Style {
    Style::default().fg(Color::Yellow)
}

pub fn good() -> Style {
    Style::default().fg(Color::Green)
}

pub fn key() -> Style {
    Style::default()
        .fg(Color::Cyan)
        .add_modifier(Modifier::BOLD)
}

pub fn title() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

/// JSON: object keys.
pub fn json_key() -> Style {
    Style::default().fg(Color::Cyan)
}

/// JSON: string values.
pub fn json_string() -> Style {
    Style::default().fg(Color::Green)
}

/// JSON: numbers, booleans and null.
pub fn json_literal() -> Style {
    Style::default().fg(Color::Magenta)
}

/// JSON: braces, brackets, colons and commas.
pub fn json_punctuation() -> Style {
    Style::default().fg(Color::DarkGray)
}

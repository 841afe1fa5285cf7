//! Plain-text tables for the terminal: columns sized to their content and, when a width is
//! given, shrunk to fit it, the widest first, with `…` where a cell is cut.

use unicode_width::UnicodeWidthStr;

use crate::ui::text::truncate;

/// Spaces between two columns.
const GAP: usize = 2;
/// A column is not shrunk below this (or below its content, when narrower).
const MIN_COLUMN: usize = 6;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(|h| clean(h)).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are empty, extra cells are dropped.
    pub fn push(&mut self, cells: Vec<String>) {
        let mut row: Vec<String> = cells.iter().map(|c| clean(c)).collect();
        row.resize(self.headers.len(), String::new());
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as lines ending in `\n`; within `width` columns when given (as far as
    /// [`MIN_COLUMN`] allows), at its natural width otherwise.
    pub fn render(&self, width: Option<usize>) -> String {
        let natural: Vec<usize> = (0..self.headers.len())
            .map(|i| {
                std::iter::once(&self.headers[i])
                    .chain(self.rows.iter().map(|r| &r[i]))
                    .map(|s| s.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let widths = match width {
            Some(w) => fit(&natural, w),
            None => natural,
        };
        let mut out = String::new();
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            let mut line = String::new();
            for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
                if i > 0 {
                    line.push_str(&" ".repeat(GAP));
                }
                let cut = truncate(cell, *w);
                let fill = w.saturating_sub(cut.width());
                line.push_str(&cut);
                line.push_str(&" ".repeat(fill));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Column widths within `total`: every column is capped at one width, the largest that fits,
/// so that the widest columns give up space first; what the cap leaves over goes to the cut
/// columns from the left.
fn fit(natural: &[usize], total: usize) -> Vec<usize> {
    let gaps = GAP * natural.len().saturating_sub(1);
    let available = total.saturating_sub(gaps);
    if natural.iter().sum::<usize>() <= available {
        return natural.to_vec();
    }
    let floor = |n: usize| n.min(MIN_COLUMN);
    let capped =
        |cap: usize| -> Vec<usize> { natural.iter().map(|&n| n.min(cap.max(floor(n)))).collect() };
    let (mut lo, mut hi) = (0, natural.iter().copied().max().unwrap_or(0));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if capped(mid).iter().sum::<usize>() <= available {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let mut widths = capped(lo);
    let mut spare = available.saturating_sub(widths.iter().sum());
    for (w, n) in widths.iter_mut().zip(natural) {
        if spare == 0 {
            break;
        }
        let more = (n - *w).min(spare);
        *w += more;
        spare -= more;
    }
    widths
}

/// Control characters (a newline in a description, a tab) would break the grid.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new(&["NAME", "ID", "VIA"]);
        t.push(vec![
            "Zürich Analytics (legacy)".into(),
            "984206342350".into(),
            "direct".into(),
        ]);
        t.push(vec!["陈伟 (Chen Wei)".into(), "1".into(), "a\nb".into()]);
        t
    }

    #[test]
    fn natural_width_pads_columns_and_trims_line_ends() {
        assert_eq!(
            table().render(None),
            "NAME                       ID            VIA\n\
             Zürich Analytics (legacy)  984206342350  direct\n\
             陈伟 (Chen Wei)            1             a b\n"
        );
    }

    #[test]
    fn a_narrow_width_cuts_the_widest_column_first() {
        let out = table().render(Some(34));
        for line in out.lines() {
            assert!(line.width() <= 34, "{line:?} is {} wide", line.width());
        }
        assert!(out.contains("Zürich Anal…"), "{out}");
        assert!(out.contains("984206342350"), "{out}");
        // A double-width character is never split.
        assert!(
            out.lines()
                .nth(2)
                .is_some_and(|l| l.starts_with("陈伟 (Chen")),
            "{out}"
        );
    }

    #[test]
    fn fit_respects_the_floor_and_gives_back_what_it_can() {
        assert_eq!(fit(&[10, 10], 100), [10, 10]);
        assert_eq!(fit(&[30, 4, 30], 40), [16, 4, 16]);
        assert_eq!(fit(&[30, 4, 10], 30), [12, 4, 10]);
        // Too narrow for the floors: the floors win, the line overflows.
        assert_eq!(fit(&[30, 30], 5), [6, 6]);
        assert_eq!(fit(&[], 10), Vec::<usize>::new());
    }

    #[test]
    fn truncate_by_display_width() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("陈伟陈伟", 4), "陈…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abc", 0), "");
    }
}

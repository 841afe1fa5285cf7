use std::cell::Cell;
use std::collections::HashSet;

use super::filter::FuzzyFilter;
use super::rows::{self, Item, PaneId, Row};
use crate::model::{Directory, DirectoryIndex};

/// One list pane: its rows (filtered), cursor and filter.
#[derive(Debug, Default)]
pub struct PaneState {
    pub rows: Vec<Row>,
    pub cursor: usize,
    pub filter: String,
    pub detail_scroll: u16,
    /// Items before filtering, and their filter texts.
    items: Vec<Item>,
    haystacks: Vec<String>,
    items_valid: bool,
    rows_valid: bool,
    /// Whether `items` were built for a filter (the accounts pane lists differently then).
    items_filtered: bool,
    /// The filter changed: go to the best match instead of staying on the selected item.
    jump_to_top: bool,
    engine: FuzzyFilter,
    /// The first visible row and the number of visible rows, kept by the renderer.
    pub offset: Cell<usize>,
    pub page: usize,
    pub visible: Cell<usize>,
}

impl PaneState {
    pub fn invalidate(&mut self) {
        self.items_valid = false;
    }

    pub fn filter_changed(&mut self) {
        self.rows_valid = false;
        if self.items_filtered == self.filter.is_empty() {
            self.items_valid = false;
        }
        self.jump_to_top = true;
    }

    pub fn selected(&self) -> Option<&Row> {
        self.rows.get(self.cursor)
    }

    pub fn move_by(&mut self, delta: isize) {
        let target = self.cursor.saturating_add_signed(delta);
        self.move_to(target);
    }

    pub fn move_to(&mut self, row: usize) {
        let last = self.rows.len().saturating_sub(1);
        let new = row.min(last);
        if new != self.cursor {
            self.detail_scroll = 0;
        }
        self.cursor = new;
    }

    pub fn refresh(
        &mut self,
        pane: PaneId,
        dir: &Directory,
        ix: &DirectoryIndex,
        collapsed: &HashSet<String>,
    ) {
        self.page = self.visible.get();
        if self.items_valid && self.rows_valid {
            return;
        }
        // Stay on the chosen item when rows come and go around it; an untouched cursor stays
        // on the first row (during a load, items arrive in any order).
        let keep = if std::mem::take(&mut self.jump_to_top) {
            self.cursor = 0;
            self.offset.set(0);
            None
        } else if self.cursor == 0 && self.offset.get() == 0 {
            None
        } else {
            self.selected().map(|r| r.item.clone())
        };
        if !self.items_valid {
            let filtered = !self.filter.is_empty();
            self.items = if filtered {
                rows::filterable_items(pane, dir, ix, collapsed)
            } else {
                rows::items(pane, dir, ix, collapsed)
            };
            self.haystacks = if filtered {
                self.items
                    .iter()
                    .map(|i| rows::filter_text(i, dir))
                    .collect()
            } else {
                Vec::new()
            };
            self.items_filtered = filtered;
            self.engine.invalidate();
            self.items_valid = true;
            self.rows_valid = false;
        }
        if !self.rows_valid {
            self.rows = if self.filter.is_empty() {
                self.items
                    .iter()
                    .map(|item| Row {
                        item: item.clone(),
                        matched: Vec::new(),
                    })
                    .collect()
            } else {
                self.engine
                    .apply(&self.filter, &self.haystacks)
                    .into_iter()
                    .filter_map(|hit| {
                        let item = self.items.get(hit.item)?.clone();
                        Some(Row {
                            item,
                            matched: hit.indices,
                        })
                    })
                    .collect()
            };
            self.rows_valid = true;
        }
        // Stay on the same item when rows come and go around it (loading, expanding).
        if let Some(pos) =
            keep.and_then(|keep| self.rows.iter().position(|r| same_item(&r.item, &keep)))
        {
            self.cursor = pos;
        }
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }
}

fn same_item(a: &Item, b: &Item) -> bool {
    match (a, b) {
        (Item::Ou { id: x, .. }, Item::Ou { id: y, .. })
        | (Item::Account { id: x, .. }, Item::Account { id: y, .. })
        | (Item::Group(x), Item::Group(y))
        | (Item::User(x), Item::User(y))
        | (Item::PermissionSet(x), Item::PermissionSet(y)) => x == y,
        _ => false,
    }
}

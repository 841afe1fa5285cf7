use std::collections::HashSet;

use super::*;
use crate::backend::demo::{demo_organization, synthetic_organization};
use crate::model::{Account, AccountStatus};
use crate::plan::ItemStatus;

struct Demo {
    dir: Directory,
    ix: DirectoryIndex,
    m: MatrixState,
}

impl Demo {
    fn new() -> Self {
        Self::with(demo_organization())
    }

    fn with(dir: Directory) -> Self {
        let ix = DirectoryIndex::build(&dir);
        let mut m = MatrixState::default();
        m.refresh(&dir, &ix);
        Self { dir, ix, m }
    }

    fn refresh(&mut self) {
        self.m.refresh(&self.dir, &self.ix);
    }

    fn account_id(&self, name: &str) -> String {
        self.dir
            .accounts
            .values()
            .find(|a| a.name == name)
            .map(|a| a.id.clone())
            .expect("account")
    }

    fn group_id(&self, name: &str) -> String {
        self.dir
            .groups
            .values()
            .find(|g| g.display_name == name)
            .map(|g| g.id.clone())
            .expect("group")
    }

    fn ps_arn(&self, name: &str) -> String {
        self.dir
            .permission_sets
            .values()
            .find(|p| p.name == name)
            .map(|p| p.arn.clone())
            .expect("permission set")
    }

    fn go_row(&mut self, pred: impl Fn(&MatrixRow) -> bool) {
        let pos = self
            .m
            .rows()
            .iter()
            .position(|r| pred(&r.row))
            .expect("row");
        self.m.row_to(pos);
    }

    fn go_account(&mut self, name: &str) {
        let id = self.account_id(name);
        self.go_row(|r| matches!(r, MatrixRow::Account { id: a, .. } if *a == id));
    }

    fn go_ou(&mut self, name: &str) {
        let id = self
            .dir
            .ous
            .values()
            .find(|o| o.name == name)
            .map(|o| o.id.clone())
            .expect("OU");
        self.go_row(|r| matches!(r, MatrixRow::Ou { id: o, .. } if *o == id));
    }

    fn go_col(&mut self, column: &MatrixColumn) {
        let pos = (0..self.m.column_count())
            .position(|c| self.m.column_head(c).is_some_and(|h| h.column == column))
            .expect("column");
        self.m.col_to(pos);
    }

    fn cell(&self, plan: &Plan) -> CellView {
        let (r, c) = self.m.cursor();
        let pending = self.m.pending(&self.dir, plan);
        self.m.cell(r, c, &pending).expect("cell")
    }
}

fn texts(view: &CellView) -> Vec<(String, Mark)> {
    match view {
        CellView::Sets(labels) => labels.iter().map(|l| (l.label.clone(), l.mark)).collect(),
        other => panic!("not a set cell: {other:?}"),
    }
}

#[test]
fn labels_are_distinct_and_stable() {
    for dir in [demo_organization(), synthetic_organization(300)] {
        let a = labels(&dir);
        assert_eq!(a, labels(&dir));
        assert_eq!(a.len(), dir.permission_sets.len());
        let lower: HashSet<String> = a.values().map(|l| l.to_lowercase()).collect();
        assert_eq!(lower.len(), a.len(), "{a:?}");
    }
    let d = Demo::new();
    let l = labels(&d.dir);
    for (name, label) in [
        ("AdministratorAccess", "AA"),
        ("ReadOnlyAccess", "ROA"),
        ("DatabaseAdministrator", "DaA"),
        ("DeveloperAccess", "DeA"),
        ("BreakGlassAdmin", "BGA"),
    ] {
        assert_eq!(l[&d.ps_arn(name)], label, "{name}");
    }
}

#[test]
fn a_cell_lists_labels_marks_admin_and_outdated() {
    let mut d = Demo::new();
    d.go_account("payments-prod");
    d.go_col(&MatrixColumn::Group(d.group_id("PlatformAdmins")));
    let CellView::Sets(labels) = d.cell(&Plan::default()) else {
        panic!("sets")
    };
    assert_eq!(labels.len(), 1);
    assert_eq!(labels[0].label, "AA");
    assert!(labels[0].admin && !labels[0].outdated);
    // DeveloperAccess needs reapplying on payments-dev.
    d.go_account("payments-dev");
    d.go_col(&MatrixColumn::Group(d.group_id("Developers-Payments")));
    let CellView::Sets(labels) = d.cell(&Plan::default()) else {
        panic!("sets")
    };
    let dev = labels.iter().find(|l| l.label == "DeA").expect("DeA");
    assert!(dev.outdated && !dev.admin);
}

/// Every OU cell counts the assignments of its column on accounts anywhere below it.
#[test]
fn rollups_count_every_assignment_below() {
    for kind in 0..3 {
        let mut d = Demo::new();
        for _ in 0..kind {
            d.m.cycle_kind();
        }
        d.refresh();
        let pending = Pending::default();
        let mut checked = 0;
        for (r, view) in d.m.rows().iter().enumerate() {
            let MatrixRow::Ou { id, .. } = &view.row else {
                continue;
            };
            for c in 0..d.m.column_count() {
                let column = d.m.column_head(c).expect("head").column;
                let expected = d
                    .dir
                    .assignments
                    .iter()
                    .filter(|a| column.holds(a))
                    .filter(|a| {
                        let parent = d.dir.accounts[&a.account_id].parent_id.as_deref();
                        d.dir.ou_path(parent).starts_with(&d.dir.ou_path(Some(id)))
                    })
                    .count();
                let Some(CellView::Rollup(n)) = d.m.cell(r, c, &pending) else {
                    panic!("rollup");
                };
                assert_eq!(n as usize, expected, "{id} {column:?}");
                checked += expected;
            }
        }
        assert!(checked > 0);
    }
}

#[test]
fn the_cursor_clamps_and_empty_state_never_panics() {
    let mut empty = MatrixState::default();
    empty.move_row(3);
    empty.move_col(-3);
    empty.row_to(usize::MAX);
    empty.col_to(usize::MAX);
    empty.set_expanded(None);
    empty.cycle_kind();
    assert!(empty.selected_row().is_none() && empty.selected_column().is_none());
    assert_eq!(empty.cell(0, 0, &Pending::default()), None);
    empty.refresh(&Directory::default(), &DirectoryIndex::default());
    assert!(empty.rows().is_empty());

    let mut d = Demo::new();
    d.m.move_row(-5);
    d.m.move_col(-5);
    assert_eq!(d.m.cursor(), (0, 0));
    d.m.move_row(isize::MAX);
    d.m.move_col(isize::MAX);
    assert_eq!(d.m.cursor(), (d.m.rows().len() - 1, d.m.column_count() - 1));
    d.m.row_to(0);
    d.m.col_to(2);
    assert_eq!(d.m.cursor(), (0, 2));
    d.m.row_to(usize::MAX);
    assert_eq!(d.m.cursor().0, d.m.rows().len() - 1);
}

#[test]
fn rows_filter_flat_and_columns_filter_by_name() {
    let mut d = Demo::new();
    d.m.move_col(3);
    d.m.row_filter.push_str("payprod");
    d.m.filter_changed();
    d.refresh();
    let names: Vec<&str> =
        d.m.rows()
            .iter()
            .map(|r| d.dir.account_name(r.row.id()))
            .collect();
    assert_eq!(names.first(), Some(&"payments-prod"));
    assert!(names.len() < 5, "{names:?}");
    assert!(
        d.m.rows()
            .iter()
            .all(|r| matches!(r.row, MatrixRow::Account { depth: 0, .. }))
    );
    assert_eq!(d.m.cursor(), (0, 3), "the best match, same column");

    d.m.col_filter.push_str("dev");
    d.m.filter_changed();
    d.refresh();
    let cols: Vec<&str> = (0..d.m.column_count())
        .map(|c| d.m.column_head(c).expect("head").name)
        .collect();
    assert!(cols.len() < d.m.total_columns(), "{cols:?}");
    assert!(cols.iter().filter(|c| c.starts_with("Developers-")).count() == 4);
    assert_eq!(d.m.cursor(), (0, 0));

    // Clearing the row filter shows the tree again, still on the account found.
    d.m.row_filter.clear();
    d.m.filter_changed();
    d.refresh();
    assert!(matches!(d.m.rows()[0].row, MatrixRow::Ou { .. }));
    assert_eq!(
        d.m.selected_row().map(|r| d.dir.account_name(r.id())),
        Some("payments-prod")
    );

    d.m.row_filter.push_str("zzzzqq");
    d.refresh();
    assert!(d.m.rows().is_empty() && d.m.selected_row().is_none());
    d.m.move_row(1);
    d.m.set_expanded(Some(false));
}

#[test]
fn kinds_cycle_and_columns_follow() {
    let mut d = Demo::new();
    assert_eq!(d.m.kind(), ColumnKind::Groups);
    // Every group, and the deleted one that still holds an assignment.
    assert_eq!(d.m.total_columns(), d.dir.groups.len() + 1);
    let last = d.m.column_head(d.m.column_count() - 1).expect("head");
    assert!(last.deleted && last.name.starts_with("deleted group "));
    let deleted = last.column.clone();
    let routing = d.account_id("logistics-routing-prod");
    let entries = cell_entries(&d.dir, &Plan::default(), &routing, &deleted);
    assert_eq!(entries.len(), 1);
    assert_eq!(
        d.dir
            .permission_set_name(&entries[0].assignment.permission_set_arn),
        "PowerUserAccess"
    );
    d.go_account("logistics-routing-prod");
    d.go_col(&deleted);
    assert_eq!(
        texts(&d.cell(&Plan::default())),
        [("PUA".to_string(), Mark::Existing)]
    );

    d.m.col_filter.push_str("dev");
    d.m.cycle_kind();
    d.refresh();
    assert_eq!(d.m.kind(), ColumnKind::Users);
    assert!(d.m.col_filter.is_empty());
    let users: Vec<&str> = (0..d.m.column_count())
        .map(|c| d.m.column_head(c).expect("head").short)
        .collect();
    assert_eq!(
        users,
        [
            "breakglass",
            "kenji.tanaka",
            "maria.garcia",
            "olaf.lindqvist"
        ]
    );

    d.m.cycle_kind();
    d.refresh();
    assert_eq!(d.m.kind(), ColumnKind::PermissionSets);
    assert_eq!(d.m.total_columns(), d.dir.permission_sets.len());
    // The deleted group counts as a holder of PowerUserAccess on logistics-routing-prod.
    d.go_account("logistics-routing-prod");
    d.go_col(&MatrixColumn::PermissionSet(d.ps_arn("PowerUserAccess")));
    let holders = d
        .dir
        .assignments_on(&d.account_id("logistics-routing-prod"))
        .filter(|a| a.permission_set_arn == d.ps_arn("PowerUserAccess"))
        .count();
    assert!(matches!(
        d.cell(&Plan::default()),
        CellView::Holders { count, .. } if count as usize == holders
    ));

    d.m.cycle_kind();
    d.refresh();
    assert_eq!(d.m.kind(), ColumnKind::Groups);
}

#[test]
fn pending_changes_mark_cells_and_entries() {
    let mut d = Demo::new();
    let account = d.account_id("payments-prod");
    let group = d.group_id("SRE-OnCall");
    let assignment = |ps: String| Assignment {
        account_id: account.clone(),
        permission_set_arn: ps,
        principal_type: PrincipalType::Group,
        principal_id: group.clone(),
    };
    let add = assignment(d.ps_arn("ReadOnlyAccess"));
    let remove = assignment(d.ps_arn("PowerUserAccess"));
    let mut plan = Plan::default();
    plan.stage(Change::Assign(add.clone()), &d.dir)
        .expect("staged");
    let id = plan
        .stage(Change::Unassign(remove.clone()), &d.dir)
        .expect("staged");
    plan.set_status(
        id,
        ItemStatus::InProgress {
            request_id: "r".into(),
        },
    );

    d.go_account("payments-prod");
    d.go_col(&MatrixColumn::Group(group.clone()));
    assert_eq!(
        texts(&d.cell(&plan)),
        [
            ("PUA".to_string(), Mark::Removing),
            ("ROA".to_string(), Mark::Adding)
        ]
    );
    let entries = cell_entries(&d.dir, &plan, &account, &MatrixColumn::Group(group.clone()));
    assert_eq!(
        entries,
        [
            CellEntry {
                assignment: remove.clone(),
                pending: Some(Change::Unassign(remove.clone())),
            },
            CellEntry {
                assignment: add.clone(),
                pending: Some(Change::Assign(add.clone())),
            },
        ]
    );

    // Finished items are not pending any more.
    for item in &mut plan.items {
        item.status = ItemStatus::Failed("no".into());
    }
    assert_eq!(texts(&d.cell(&plan)), [("PUA".to_string(), Mark::Existing)]);
    assert_eq!(
        cell_entries(&d.dir, &plan, &account, &MatrixColumn::Group(group))[0].pending,
        None
    );
}

#[test]
fn pending_changes_count_in_the_permission_set_kind() {
    let mut d = Demo::new();
    let account = d.account_id("payments-prod");
    let ps = d.ps_arn("PowerUserAccess");
    let mut plan = Plan::default();
    plan.stage(
        Change::Assign(Assignment {
            account_id: account.clone(),
            permission_set_arn: ps.clone(),
            principal_type: PrincipalType::Group,
            principal_id: d.group_id("PlatformAdmins"),
        }),
        &d.dir,
    )
    .expect("staged");
    d.m.cycle_kind();
    d.m.cycle_kind();
    d.refresh();
    d.go_account("payments-prod");
    d.go_col(&MatrixColumn::PermissionSet(ps));
    assert_eq!(
        d.cell(&plan),
        CellView::Holders {
            count: 1,
            adding: 1,
            removing: 0,
            admin: false,
            outdated: false
        }
    );
}

#[test]
fn a_user_with_a_staged_assignment_gets_a_column() {
    let mut d = Demo::new();
    d.m.cycle_kind();
    d.refresh();
    let before = d.m.total_columns();
    let user = d
        .dir
        .users
        .values()
        .find(|u| u.user_name.starts_with("ahmed"))
        .or_else(|| {
            d.dir
                .users
                .values()
                .find(|u| d.ix.assignments_of(PrincipalType::User, &u.id).is_empty())
        })
        .map(|u| u.id.clone())
        .expect("a user without direct assignments");
    let mut plan = Plan::default();
    plan.stage(
        Change::Assign(Assignment {
            account_id: d.account_id("payments-dev"),
            permission_set_arn: d.ps_arn("ReadOnlyAccess"),
            principal_type: PrincipalType::User,
            principal_id: user.clone(),
        }),
        &d.dir,
    )
    .expect("staged");
    d.m.note_plan(&plan);
    d.refresh();
    assert_eq!(d.m.total_columns(), before + 1);
    d.go_account("payments-dev");
    d.go_col(&MatrixColumn::User(user));
    assert_eq!(texts(&d.cell(&plan)), [("ROA".to_string(), Mark::Adding)]);
}

#[test]
fn ous_collapse_and_expand_and_the_cursor_stays() {
    let mut d = Demo::new();
    let all = d.m.rows().len();
    d.go_ou("Workloads");
    d.m.set_expanded(Some(false));
    d.refresh();
    assert!(d.m.rows().len() < all);
    assert!(
        matches!(d.m.selected_row(), Some(MatrixRow::Ou { expanded: false, id, .. }) if d.dir.ous[id].name == "Workloads")
    );
    // Collapsing it again goes to its parent, the root.
    d.m.set_expanded(Some(false));
    assert!(matches!(
        d.m.selected_row(),
        Some(MatrixRow::Ou { depth: 0, .. })
    ));
    d.go_ou("Workloads");
    d.m.set_expanded(None);
    d.refresh();
    assert_eq!(d.m.rows().len(), all);
    // Collapsing on an account goes to its OU.
    d.go_account("payments-prod");
    d.m.set_expanded(Some(false));
    assert!(
        matches!(d.m.selected_row(), Some(MatrixRow::Ou { id, .. }) if d.dir.ous[id].name == "Payments")
    );
}

#[test]
fn a_directory_change_keeps_the_cursor_on_its_account_and_column() {
    let mut d = Demo::new();
    d.go_account("payments-prod");
    let column = MatrixColumn::Group(d.group_id("SRE-OnCall"));
    d.go_col(&column);
    let parent = d.dir.accounts[&d.account_id("payments-prod")]
        .parent_id
        .clone();
    d.dir.add_accounts([Account {
        id: "000000000001".into(),
        name: "aaa-first".into(),
        email: String::new(),
        status: AccountStatus::Active,
        parent_id: parent,
    }]);
    d.ix = DirectoryIndex::build(&d.dir);
    d.m.invalidate();
    d.refresh();
    assert_eq!(
        d.m.selected_row().map(|r| d.dir.account_name(r.id())),
        Some("payments-prod")
    );
    assert_eq!(d.m.selected_column(), Some(&column));
}

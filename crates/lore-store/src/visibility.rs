//! A caller's [`Scope`] as SQL: the conditions lists put in their `WHERE` clause, written
//! once here and kept equal to the rules in `lore_domain::visibility` (the stories compare
//! the lists with the policy for every person of the demo).
//!
//! "At or below a group" is a recursive walk down `groups` inside the condition, so a scope
//! costs no extra statement and no group tree in memory.

use lore_domain::ids::GroupId;
use lore_domain::visibility::Scope;
use sea_orm::Value;

/// SQL text with its positional values (`$1, $2…`, which both engines accept).
#[derive(Debug, Default)]
pub(crate) struct Sql {
    pub text: String,
    pub values: Vec<Value>,
}

impl Sql {
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// A placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }

    /// `(…)` with a placeholder per id; `None` for no ids (an empty `IN ()` is not SQL).
    fn id_list(&mut self, ids: &[GroupId]) -> Option<String> {
        if ids.is_empty() {
            return None;
        }
        let marks: Vec<String> = ids.iter().map(|g| self.bind(g.0)).collect();
        Some(format!("({})", marks.join(", ")))
    }

    /// `column` is one of `groups`.
    pub fn in_groups(&mut self, column: &str, groups: &[GroupId]) -> String {
        match self.id_list(groups) {
            Some(list) => format!("{column} IN {list}"),
            None => "1 = 0".to_owned(),
        }
    }

    /// `column` is one of `groups` or a group below one of them.
    pub fn at_or_below(&mut self, column: &str, groups: &[GroupId]) -> String {
        match self.id_list(groups) {
            Some(list) => format!(
                "{column} IN (WITH RECURSIVE below(id) AS (
                    SELECT id FROM \"groups\" WHERE id IN {list}
                    UNION SELECT g.id FROM \"groups\" g JOIN below b ON g.parent_id = b.id)
                 SELECT id FROM below)"
            ),
            None => "1 = 0".to_owned(),
        }
    }
}

/// The course aliased `c` is one the scope may take (see `Scope::matches_takeable`; the caller
/// adds "published").
pub(crate) fn takeable_course(sql: &mut Sql, scope: &Scope) -> String {
    if !scope.active {
        return "1 = 0".to_owned();
    }
    if scope.everything {
        return "1 = 1".to_owned();
    }
    let me = sql.bind(scope.user.0);
    let owning_reached = sql.in_groups("c.group_id", &scope.reached_by);
    let audience_reached = sql.in_groups("a.group_id", &scope.reached_by);
    let administered = sql.at_or_below("c.group_id", &scope.administers);
    format!(
        "(c.owner_id = {me}
          OR EXISTS (SELECT 1 FROM course_coauthors x WHERE x.course_id = c.id AND x.user_id = {me})
          OR {owning_reached}
          OR EXISTS (SELECT 1 FROM course_audiences a WHERE a.course_id = c.id AND {audience_reached})
          OR {administered})"
    )
}

/// The course aliased `c` is one the scope coaches (see `Scope::matches_coachable`).
pub(crate) fn coachable_course(sql: &mut Sql, scope: &Scope) -> String {
    if !scope.active {
        return "1 = 0".to_owned();
    }
    if scope.everything {
        return "1 = 1".to_owned();
    }
    let owning = sql.at_or_below("c.group_id", &scope.coaches);
    let audience = sql.at_or_below("a.group_id", &scope.coaches);
    format!(
        "({owning}
          OR EXISTS (SELECT 1 FROM course_audiences a WHERE a.course_id = c.id AND {audience}))"
    )
}

/// The need aliased `n` is one the scope may see (see `Scope::matches_need`).
pub(crate) fn visible_need(sql: &mut Sql, scope: &Scope) -> String {
    if !scope.active {
        return "1 = 0".to_owned();
    }
    if scope.everything {
        return "1 = 1".to_owned();
    }
    let me = sql.bind(scope.user.0);
    let reached = sql.in_groups("na.group_id", &scope.reached_by);
    let coached = sql.at_or_below("na.group_id", &scope.coaches);
    format!(
        "(n.created_by = {me}
          OR EXISTS (SELECT 1 FROM need_audiences na WHERE na.need_id = n.id
                     AND ({reached} OR {coached})))"
    )
}

//! Planning a people import: who is new, whose name or manager changes, which memberships
//! are added and which change role. Pure: the app reads what is stored, plans here, and has
//! the store write the plan inside one unit of work.

use std::collections::HashMap;

use crate::role::Role;

/// One person of an import, already checked, with group references resolved to ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPerson {
    pub email: String,
    pub name: String,
    pub manager_email: Option<String>,
    /// (group id, role), in the order the file gives them.
    pub memberships: Vec<(i64, Role)>,
}

/// A person who has an account already, as the import needs to know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownPerson {
    pub id: i64,
    pub name: String,
    pub manager_id: Option<i64>,
}

/// A membership held already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldMembership {
    pub id: i64,
    pub role: Role,
}

/// What an import changed; all zero but `unchanged` when the same file comes twice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportTotals {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub memberships_added: u64,
    pub memberships_changed: u64,
}

/// People of the file without an account (by email), in file order: they are created.
pub fn newcomers<'a>(
    people: &'a [PlannedPerson],
    known: &HashMap<String, KnownPerson>,
) -> Vec<&'a PlannedPerson> {
    people
        .iter()
        .filter(|p| !known.contains_key(&p.email))
        .collect()
}

/// The managers of newly created people, as (person id, manager id), once everybody has an
/// id (a manager may be new in this very file). People or managers without an id are left
/// out.
pub fn managers_of(newcomers: &[&PlannedPerson], ids: &HashMap<String, i64>) -> Vec<(i64, i64)> {
    newcomers
        .iter()
        .filter_map(|p| {
            let id = *ids.get(&p.email)?;
            let manager = *ids.get(p.manager_email.as_ref()?)?;
            Some((id, manager))
        })
        .collect()
}

/// What happens to a person who had an account already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KnownChange {
    /// The name and manager in the file are the stored ones.
    Unchanged,
    /// The file's name and manager replace the stored ones (a manager the file names but
    /// nobody has an account for becomes none).
    Update {
        id: i64,
        name: String,
        manager_id: Option<i64>,
    },
}

/// For each person of the file who had an account already, in file order, whether their
/// name or manager changes. `ids` holds every account's id by email, newcomers' included.
pub fn known_changes(
    people: &[PlannedPerson],
    known: &HashMap<String, KnownPerson>,
    ids: &HashMap<String, i64>,
) -> Vec<KnownChange> {
    people
        .iter()
        .filter_map(|person| {
            let stored = known.get(&person.email)?;
            let manager_id = person
                .manager_email
                .as_ref()
                .and_then(|m| ids.get(m).copied());
            Some(
                if stored.name != person.name || stored.manager_id != manager_id {
                    KnownChange::Update {
                        id: stored.id,
                        name: person.name.clone(),
                        manager_id,
                    }
                } else {
                    KnownChange::Unchanged
                },
            )
        })
        .collect()
}

/// How memberships change: the file's are added where missing and their role set where it
/// differs; memberships the file does not name are never removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MembershipChanges {
    /// (membership id, new role).
    pub new_roles: Vec<(i64, Role)>,
    /// (user id, group id, role).
    pub added: Vec<(i64, i64, Role)>,
}

/// The membership changes of an import. `held` is what the people of the file hold now, by
/// (user id, group id).
pub fn membership_changes(
    people: &[PlannedPerson],
    ids: &HashMap<String, i64>,
    held: &HashMap<(i64, i64), HeldMembership>,
) -> MembershipChanges {
    let mut changes = MembershipChanges::default();
    for person in people {
        let Some(&user_id) = ids.get(&person.email) else {
            continue;
        };
        for &(group_id, role) in &person.memberships {
            match held.get(&(user_id, group_id)) {
                Some(h) if h.role == role => {}
                Some(h) => changes.new_roles.push((h.id, role)),
                None => changes.added.push((user_id, group_id, role)),
            }
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(email: &str, name: &str, manager: Option<&str>, m: &[(i64, Role)]) -> PlannedPerson {
        PlannedPerson {
            email: email.to_owned(),
            name: name.to_owned(),
            manager_email: manager.map(str::to_owned),
            memberships: m.to_vec(),
        }
    }

    fn known(id: i64, name: &str, manager_id: Option<i64>) -> KnownPerson {
        KnownPerson {
            id,
            name: name.to_owned(),
            manager_id,
        }
    }

    #[test]
    fn newcomers_are_people_without_an_account_and_get_their_managers_once_ids_exist() {
        let people = vec![
            person("ivy@a.test", "Ivy", None, &[]),
            person("jon@a.test", "Jon", Some("ivy@a.test"), &[]),
            person("kim@a.test", "Kim", Some("ghost@a.test"), &[]),
        ];
        let stored = HashMap::from([("kim@a.test".to_owned(), known(3, "Kim", None))]);
        let new = newcomers(&people, &stored);
        assert_eq!(
            new.iter().map(|p| p.email.as_str()).collect::<Vec<_>>(),
            ["ivy@a.test", "jon@a.test"]
        );
        let ids = HashMap::from([
            ("ivy@a.test".to_owned(), 10),
            ("jon@a.test".to_owned(), 11),
            ("kim@a.test".to_owned(), 3),
        ]);
        assert_eq!(managers_of(&new, &ids), vec![(11, 10)]);
    }

    #[test]
    fn known_people_change_when_their_name_or_manager_differs() {
        let people = vec![
            person("new@a.test", "New", None, &[]),
            person("same@a.test", "Same", Some("boss@a.test"), &[]),
            person("renamed@a.test", "Renamed", None, &[]),
            person("moved@a.test", "Moved", None, &[]),
        ];
        let stored = HashMap::from([
            ("same@a.test".to_owned(), known(1, "Same", Some(9))),
            ("renamed@a.test".to_owned(), known(2, "Old name", None)),
            ("moved@a.test".to_owned(), known(3, "Moved", Some(9))),
        ]);
        let ids = HashMap::from([
            ("boss@a.test".to_owned(), 9),
            ("same@a.test".to_owned(), 1),
            ("renamed@a.test".to_owned(), 2),
            ("moved@a.test".to_owned(), 3),
            ("new@a.test".to_owned(), 4),
        ]);
        assert_eq!(
            known_changes(&people, &stored, &ids),
            vec![
                KnownChange::Unchanged,
                KnownChange::Update {
                    id: 2,
                    name: "Renamed".to_owned(),
                    manager_id: None
                },
                KnownChange::Update {
                    id: 3,
                    name: "Moved".to_owned(),
                    manager_id: None
                },
            ]
        );
    }

    #[test]
    fn memberships_are_added_or_change_role_and_are_never_removed() {
        let people = vec![person(
            "ivy@a.test",
            "Ivy",
            None,
            &[(1, Role::Author), (2, Role::Learner), (3, Role::Coach)],
        )];
        let ids = HashMap::from([("ivy@a.test".to_owned(), 7)]);
        let held = HashMap::from([
            (
                (7, 1),
                HeldMembership {
                    id: 100,
                    role: Role::Author,
                },
            ),
            (
                (7, 2),
                HeldMembership {
                    id: 101,
                    role: Role::Coach,
                },
            ),
            (
                (7, 9),
                HeldMembership {
                    id: 102,
                    role: Role::Admin,
                },
            ),
        ]);
        assert_eq!(
            membership_changes(&people, &ids, &held),
            MembershipChanges {
                new_roles: vec![(101, Role::Learner)],
                added: vec![(7, 3, Role::Coach)],
            }
        );
    }
}

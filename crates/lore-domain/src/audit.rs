//! The kinds of administrative action the audit log records.

word_enum! {
    /// What an administrator (or the operator's command line) did.
    pub enum AuditAction in "action" {
        /// A person got a role in a group, or their role there changed.
        RoleChanged = "role_changed",
        /// A person left a group.
        MembershipRemoved = "membership_removed",
        PersonInvited = "person_invited",
        PersonDeactivated = "person_deactivated",
        PersonReactivated = "person_reactivated",
        /// An administrator made a password link for someone.
        PasswordLinkIssued = "password_link_issued",
        /// People were imported from a CSV file.
        PeopleImported = "people_imported",
        /// Who may write courses in a group changed.
        AuthoringRoleChanged = "authoring_role_changed",
        /// Whether a group requires review before publishing, or its check interval, changed.
        ReviewRulesChanged = "review_rules_changed",
        /// A coach defined a business outcome metric for a group.
        OutcomeMetricCreated = "outcome_metric_created",
        /// Values of an outcome metric were imported.
        OutcomeValuesImported = "outcome_values_imported",
        /// A course or path was linked to an outcome metric, or unlinked.
        OutcomeLinksChanged = "outcome_links_changed",
        /// A client of the learning record store (`/xapi/`) was created.
        XapiClientCreated = "xapi_client_created",
        /// A client of the learning record store was revoked.
        XapiClientRevoked = "xapi_client_revoked",
        /// Forwarding statements to another learning record store was changed.
        XapiForwardingChanged = "xapi_forwarding_changed",
        /// Statements the other learning record store refused were sent again.
        XapiDeadLettersReplayed = "xapi_dead_letters_replayed",
    }
}

impl AuditAction {
    /// How the audit log page names the action.
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::RoleChanged => "Role changed",
            AuditAction::MembershipRemoved => "Membership removed",
            AuditAction::PersonInvited => "Person invited",
            AuditAction::PersonDeactivated => "Person deactivated",
            AuditAction::PersonReactivated => "Person reactivated",
            AuditAction::PasswordLinkIssued => "Password link made",
            AuditAction::PeopleImported => "People imported",
            AuditAction::AuthoringRoleChanged => "Who may write courses changed",
            AuditAction::ReviewRulesChanged => "Review rules changed",
            AuditAction::OutcomeMetricCreated => "Outcome metric defined",
            AuditAction::OutcomeValuesImported => "Outcome values imported",
            AuditAction::OutcomeLinksChanged => "Outcome links changed",
            AuditAction::XapiClientCreated => "xAPI client created",
            AuditAction::XapiClientRevoked => "xAPI client revoked",
            AuditAction::XapiForwardingChanged => "xAPI forwarding changed",
            AuditAction::XapiDeadLettersReplayed => "xAPI dead letters replayed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_as_itself() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Ok(*a));
            assert!(!a.label().is_empty());
        }
        assert!(AuditAction::parse("dropped_tables").is_err());
    }
}

//! What people are told, and how each person wants to hear about each kind.

use crate::Invalid;

/// A kind of notification; a person chooses per kind how mail reaches them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    /// Someone reacted to a step of a course you write.
    Reaction,
    /// Someone opened a discussion on a course you write.
    Thread,
    /// Someone proposed an edit to a course you write.
    SuggestedEdit,
    /// Someone replied in a discussion you started or answered your question.
    Reply,
    /// Someone mentioned you.
    Mention,
    /// An author answered, fixed or dismissed your reaction.
    Resolution,
    /// An author accepted or declined your suggested edit.
    EditDecision,
    /// A learning need you follow changed: status, merge, a course that answers it.
    NeedUpdate,
    /// A coach asked you to answer a learning need as its expert.
    ExpertRequest,
    /// Someone asked for a learning need in a group you coach.
    NeedAsked,
    /// A course you write or review: submitted, commented, approved, changes asked, or due
    /// for a check.
    Review,
    /// A certificate of yours: awarded, about to expire, expired, recertification assigned.
    Certificate,
    /// Something assigned to you is due soon or overdue; for coaches, the weekly list of
    /// people overdue in their groups.
    Assignment,
    /// A reviewer scored your open answers (essays): the attempt's result.
    EssayReview,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 14] = [
        NotificationKind::Reaction,
        NotificationKind::Thread,
        NotificationKind::SuggestedEdit,
        NotificationKind::Reply,
        NotificationKind::Mention,
        NotificationKind::Resolution,
        NotificationKind::EditDecision,
        NotificationKind::NeedUpdate,
        NotificationKind::ExpertRequest,
        NotificationKind::NeedAsked,
        NotificationKind::Review,
        NotificationKind::Certificate,
        NotificationKind::Assignment,
        NotificationKind::EssayReview,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Reaction => "reaction",
            NotificationKind::Thread => "thread",
            NotificationKind::SuggestedEdit => "suggested-edit",
            NotificationKind::Reply => "reply",
            NotificationKind::Mention => "mention",
            NotificationKind::Resolution => "resolution",
            NotificationKind::EditDecision => "edit-decision",
            NotificationKind::NeedUpdate => "need",
            NotificationKind::ExpertRequest => "expert-request",
            NotificationKind::NeedAsked => "need-asked",
            NotificationKind::Review => "review",
            NotificationKind::Certificate => "certificate",
            NotificationKind::Assignment => "assignment",
            NotificationKind::EssayReview => "essay-review",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw.trim())
            .ok_or_else(|| Invalid::new("kind", "Unknown kind of notification."))
    }

    /// How the settings page names the kind.
    pub fn label(self) -> &'static str {
        match self {
            NotificationKind::Reaction => "Reactions on courses I write",
            NotificationKind::Thread => "Discussions on courses I write",
            NotificationKind::SuggestedEdit => "Suggested edits to courses I write",
            NotificationKind::Reply => "Replies and answers to my posts",
            NotificationKind::Mention => "Mentions of me",
            NotificationKind::Resolution => "What became of my reactions",
            NotificationKind::EditDecision => "Decisions on my suggested edits",
            NotificationKind::NeedUpdate => "Learning needs I follow",
            NotificationKind::ExpertRequest => "Requests to answer a need as an expert",
            NotificationKind::NeedAsked => "New learning needs in groups I coach",
            NotificationKind::Review => "Reviews and checks of courses I write or review",
            NotificationKind::Certificate => "My certificates: awarded, expiring, expired",
            NotificationKind::Assignment => {
                "Due dates of what is assigned to me, and overdue people in groups I coach"
            }
            NotificationKind::EssayReview => "Reviews of my open answers (essays)",
        }
    }

    /// The mail choice of someone who never changed it.
    pub fn default_mode(self) -> MailMode {
        // Everything mails at once until the person chooses otherwise: a first reaction or
        // question is exactly what an author should not miss. New needs are the exception:
        // a coach of a large group would get many, and once a day is soon enough.
        match self {
            NotificationKind::NeedAsked => MailMode::Digest,
            _ => MailMode::Instant,
        }
    }
}

/// How mail about a kind of notification reaches a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailMode {
    Instant,
    Digest,
    Never,
}

impl MailMode {
    pub const ALL: [MailMode; 3] = [MailMode::Instant, MailMode::Digest, MailMode::Never];

    pub fn as_str(self) -> &'static str {
        match self {
            MailMode::Instant => "instant",
            MailMode::Digest => "digest",
            MailMode::Never => "never",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == raw.trim())
            .ok_or_else(|| Invalid::new("mode", "Choose instantly, daily digest or never."))
    }

    pub fn label(self) -> &'static str {
        match self {
            MailMode::Instant => "Instantly",
            MailMode::Digest => "Daily digest",
            MailMode::Never => "Never",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_modes_round_trip_through_their_names() {
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(k.as_str()), Ok(k));
        }
        for m in MailMode::ALL {
            assert_eq!(MailMode::parse(m.as_str()), Ok(m));
        }
        assert!(NotificationKind::parse("everything").is_err());
        assert!(MailMode::parse("hourly").is_err());
    }
}

//! What the page frame needs: who is signed in, their CSRF token, the active section, a notice.

use lore_app::accounts::SessionContext;
use lore_domain::role::Role;

#[derive(Debug, Clone)]
pub struct NavUser {
    pub name: String,
    pub platform_admin: bool,
    /// Admin of at least one group: show the Groups management link prominently.
    pub group_admin: bool,
    /// Unread notifications when the page was made; `live.js` keeps it current.
    pub unread: u64,
    /// May keep question banks somewhere: the menu links `/question-banks` (decision 0047).
    pub keeps_banks: bool,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub user: Option<NavUser>,
    pub csrf: String,
    /// Which navigation entry is current: `home`, `courses`, `needs`, `groups`, `people`, `admin`, `account`.
    pub section: &'static str,
    /// A one-line confirmation after an action, from a fixed list (never user input).
    pub notice: Option<&'static str>,
}

impl Layout {
    pub fn bare() -> Self {
        Self {
            user: None,
            csrf: String::new(),
            section: "",
            notice: None,
        }
    }

    pub fn anonymous(csrf: String) -> Self {
        Self {
            csrf,
            ..Self::bare()
        }
    }

    pub fn for_session(s: &SessionContext, section: &'static str) -> Self {
        Self {
            user: Some(NavUser {
                name: s.caller.name.clone(),
                platform_admin: s.caller.platform_admin,
                group_admin: s
                    .caller
                    .actor
                    .memberships
                    .iter()
                    .any(|(_, r)| *r == Role::Admin),
                unread: s.unread,
                keeps_banks: lore_domain::question_bank::offers_banks(&s.caller.actor),
            }),
            csrf: s.csrf_token.clone(),
            section,
            notice: None,
        }
    }

    pub fn with_notice(mut self, code: Option<&str>) -> Self {
        self.notice = code.and_then(notice_text);
        self
    }
}

/// Confirmation messages by code, as passed in `?notice=` after a redirect.
fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "password-changed" => "Your password is changed. Other sessions were signed out.",
        "signed-out-elsewhere" => "Every other session is signed out.",
        "session-revoked" => "That session is signed out.",
        "mail-choices-saved" => "Mail and notification choices saved.",
        "profile-saved" => "Profile saved.",
        "certificate-rules-saved" => "Certificate settings saved.",
        "notification-read" => "Marked read.",
        "reset-asked" => {
            "If that address has an account, a mail with a link to choose a new password is on its way. The link works once, within an hour."
        }
        "token-revoked" => "The token is revoked; programs using it are now refused.",
        "xapi-client-revoked" => "The client is revoked; its credentials are now refused.",
        "xapi-forwarding-saved" => "Forwarding settings saved.",
        "xapi-replay-queued" => {
            "Queued: the statements are sent again within seconds; each that arrives leaves the list."
        }
        "group-created" => "Group created.",
        "group-renamed" => "Group renamed.",
        "group-settings-saved" => "Group settings saved.",
        "group-deleted" => "Group deleted.",
        "member-saved" => "Membership saved.",
        "member-removed" => "Membership removed.",
        "deactivated" => "The person is deactivated; their sessions and tokens stopped working.",
        "reactivated" => "The person is active again.",
        "welcome" => "Welcome to Lore! Your password is set.",
        "notifications-read" => "All notifications are marked read.",
        "reaction-saved" => "Thank you — the authors are told.",
        "reaction-withdrawn" => "Your reaction is withdrawn.",
        "reaction-resolved" => "Resolved; the learner is told.",
        "suggestion-sent" => "Your suggestion is sent to the authors.",
        "suggestion-accepted" => {
            "Accepted into the draft of the next version; publish it when ready."
        }
        "suggestion-declined" => "Declined; the proposer is told why.",
        "published" => "Published. Everyone in the course's groups can take it now.",
        "draft-saved" => "Draft saved.",
        "step-saved" => "Step saved.",
        "questions-added" => "Questions added to the evaluation.",
        "step-deleted" => "Step deleted.",
        "people-saved" => "Saved.",
        "transferred" => "The course has a new owner; you stay on as a co-author.",
        "archived" => "Archived: the course left the catalogue. Learners' records stay.",
        "restored" => "Restored: the course is back in the catalogue.",
        "course-deleted" => "The draft is deleted.",
        "assigned" => "Assigned. They will see it in My learning.",
        "course-completed" => "Course completed — well done!",
        "path-created" => "Path created. Add its courses, then publish it.",
        "path-published" => "Published. Everyone in the path's group can follow it now.",
        "unassigned" => "Assignment removed. It reaches nobody now; people keep their progress.",
        "assigned-many" => "Assigned. The people reached see it first on their home page.",
        "calendar-revoked" => "The calendar feed is off; its address stopped working.",
        "review-submitted" => "Submitted for review; the reviewers are told.",
        "essay-reviewed" => "Review saved; the learner is told once all their answers are scored.",
        "rubric-saved" => "Rubric and model answer saved.",
        "review-commented" => "Comment added.",
        "review-resolved" => "Saved.",
        "review-verdict" => "Your review is recorded; the author is told.",
        "reviewer-added" => "Reviewer added; they are told.",
        "reviewer-removed" => "Reviewer removed.",
        "course-confirmed" => {
            "Confirmed still right; the next check is due after the review interval."
        }
        "interval-saved" => "Review interval saved.",
        "review-rules-saved" => "Review rules saved.",
        "outcome-created" => {
            "Metric defined. Link the courses or paths it should reflect, then import its values."
        }
        "bank-created" => "Bank started. Add its questions below.",
        "bank-questions-added" => "Questions added to the bank.",
        "bank-question-removed" => "Question removed; attempts that drew it keep their copy.",
        "draw-saved" => "Draw saved; every new attempt draws its own questions.",
        "draw-cleared" => "The evaluation no longer draws from a bank.",
        "outcome-linked" => "Linked; the report counts who completed it.",
        "outcome-unlinked" => "Unlinked.",
        "webhook-saved" => "Saved.",
        "webhook-deleted" => "Deleted, with its delivery log.",
        "redelivery-queued" => "Queued: it is sent again in a moment, with the same id.",
        _ => return None,
    })
}

//! Verbs and activity types Lore uses (ADL / cmi5 vocabulary IRIs), with display names
//! (en-US, as the vocabularies publish them).

/// A vocabulary term: its IRI and its English display name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Term {
    pub id: &'static str,
    pub display: &'static str,
}

impl Term {
    /// The term as a verb or activity-type display language map: `{"en-US": display}`.
    pub fn display_map(self) -> serde_json::Value {
        serde_json::json!({ "en-US": self.display })
    }

    /// The term as a statement's verb object: `{"id": …, "display": {"en-US": …}}`.
    pub fn verb(self) -> serde_json::Value {
        serde_json::json!({ "id": self.id, "display": self.display_map() })
    }
}

const ADL_VERBS: &str = "http://adlnet.gov/expapi/verbs/";

macro_rules! terms {
    ($($(#[$meta:meta])* $name:ident = $id:expr, $display:literal;)+) => {
        $($(#[$meta])* pub const $name: Term = Term { id: $id, display: $display };)+
    };
}

/// Verbs: ADL's (`http://adlnet.gov/expapi/verbs/…`) as cmi5 uses them, and the few of the
/// ADL vocabulary on w3id.org that have no ADL verbs IRI.
pub mod verbs {
    use super::{ADL_VERBS, Term};

    terms! {
        LAUNCHED = "http://adlnet.gov/expapi/verbs/launched", "launched";
        INITIALIZED = "http://adlnet.gov/expapi/verbs/initialized", "initialized";
        EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced", "experienced";
        /// cmi5's "progressed" is ADL's.
        PROGRESSED = "http://adlnet.gov/expapi/verbs/progressed", "progressed";
        COMPLETED = "http://adlnet.gov/expapi/verbs/completed", "completed";
        PASSED = "http://adlnet.gov/expapi/verbs/passed", "passed";
        FAILED = "http://adlnet.gov/expapi/verbs/failed", "failed";
        ANSWERED = "http://adlnet.gov/expapi/verbs/answered", "answered";
        ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted", "attempted";
        ATTENDED = "http://adlnet.gov/expapi/verbs/attended", "attended";
        /// The verb of a voiding statement; its object must be a StatementRef.
        VOIDED = "http://adlnet.gov/expapi/verbs/voided", "voided";
        COMMENTED = "http://adlnet.gov/expapi/verbs/commented", "commented";
        ASKED = "http://adlnet.gov/expapi/verbs/asked", "asked";
        REGISTERED = "http://adlnet.gov/expapi/verbs/registered", "registered";
        SHARED = "http://adlnet.gov/expapi/verbs/shared", "shared";
        TERMINATED = "http://adlnet.gov/expapi/verbs/terminated", "terminated";
        SUSPENDED = "http://adlnet.gov/expapi/verbs/suspended", "suspended";
        RESUMED = "http://adlnet.gov/expapi/verbs/resumed", "resumed";
        SCORED = "http://adlnet.gov/expapi/verbs/scored", "scored";
        INTERACTED = "http://adlnet.gov/expapi/verbs/interacted", "interacted";
        CREATED = "http://adlnet.gov/expapi/verbs/created", "created";
        /// cmi5's verb for a waived assignable unit.
        WAIVED = "https://w3id.org/xapi/adl/verbs/waived", "waived";
        /// cmi5's verb for a learner's satisfying of a block or course.
        SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied", "satisfied";
        /// cmi5's verb for a learner leaving without finishing.
        ABANDONED = "https://w3id.org/xapi/adl/verbs/abandoned", "abandoned";
        /// ADL vocabulary's reacting with an emotion or rating.
        RATED = "http://id.tincanapi.com/verb/rated", "rated";
        /// Earned an award such as a certificate.
        EARNED = "http://id.tincanapi.com/verb/earned", "earned";
        UNREGISTERED = "http://id.tincanapi.com/verb/unregistered", "unregistered";
        REPLIED = "http://id.tincanapi.com/verb/replied", "replied";
    }

    /// The prefix of ADL's verbs.
    pub const ADL_PREFIX: &str = ADL_VERBS;

    /// Every verb above, for look-ups by IRI.
    pub const ALL: &[Term] = &[
        LAUNCHED,
        INITIALIZED,
        EXPERIENCED,
        PROGRESSED,
        COMPLETED,
        PASSED,
        FAILED,
        ANSWERED,
        ATTEMPTED,
        ATTENDED,
        VOIDED,
        COMMENTED,
        ASKED,
        REGISTERED,
        SHARED,
        TERMINATED,
        SUSPENDED,
        RESUMED,
        SCORED,
        INTERACTED,
        CREATED,
        WAIVED,
        SATISFIED,
        ABANDONED,
        RATED,
        EARNED,
        UNREGISTERED,
        REPLIED,
    ];
}

/// Activity types: ADL's (`http://adlnet.gov/expapi/activities/…`) and cmi5's.
pub mod activity_types {
    use super::Term;

    terms! {
        COURSE = "http://adlnet.gov/expapi/activities/course", "course";
        MODULE = "http://adlnet.gov/expapi/activities/module", "module";
        LESSON = "http://adlnet.gov/expapi/activities/lesson", "lesson";
        ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment", "assessment";
        /// One question's interaction (with an interactionType in its definition).
        INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction", "interaction";
        QUESTION = "http://adlnet.gov/expapi/activities/question", "question";
        MEDIA = "http://adlnet.gov/expapi/activities/media", "media";
        LINK = "http://adlnet.gov/expapi/activities/link", "link";
        MEETING = "http://adlnet.gov/expapi/activities/meeting", "meeting";
        OBJECTIVE = "http://adlnet.gov/expapi/activities/objective", "objective";
        PERFORMANCE = "http://adlnet.gov/expapi/activities/performance", "performance";
        SIMULATION = "http://adlnet.gov/expapi/activities/simulation", "simulation";
        PROFILE = "http://adlnet.gov/expapi/activities/profile", "profile";
        /// A learning path (a series of courses).
        PATH = "http://id.tincanapi.com/activitytype/learning-path", "learning path";
        /// A certificate awarded.
        CERTIFICATE = "http://id.tincanapi.com/activitytype/certificate", "certificate";
        /// cmi5's block of assignable units.
        CMI5_BLOCK = "https://w3id.org/xapi/cmi5/activitytype/block", "block";
        /// cmi5's course.
        CMI5_COURSE = "https://w3id.org/xapi/cmi5/activitytype/course", "course";
        /// A discussion message (comments, needs and answers).
        COMMENT = "http://activitystrea.ms/schema/1.0/comment", "comment";
    }
}

/// Context activity categories and extensions cmi5 defines.
pub mod cmi5 {
    use super::Term;

    terms! {
        /// The category activity every cmi5-defined statement carries.
        CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5", "cmi5";
        /// The category of statements about mastery (passed/failed with moveOn).
        MOVE_ON = "https://w3id.org/xapi/cmi5/context/categories/moveon", "moveOn";
    }

    /// The cmi5 session id context extension.
    pub const SESSION_ID: &str = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
    /// The cmi5 launch mode context extension.
    pub const LAUNCH_MODE: &str = "https://w3id.org/xapi/cmi5/context/extensions/launchmode";
    /// The cmi5 mastery score context extension.
    pub const MASTERY_SCORE: &str = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
    /// The cmi5 result extension for the reason of a "progressed".
    pub const PROGRESS: &str = "https://w3id.org/xapi/cmi5/result/extensions/progress";
}

/// The usage type of an attachment holding a statement's JWS signature.
pub const SIGNATURE_USAGE_TYPE: &str = "http://adlnet.gov/expapi/attachments/signature";

/// Finds a verb of [`verbs::ALL`] by its IRI.
pub fn verb(id: &str) -> Option<Term> {
    verbs::ALL.iter().copied().find(|term| term.id == id)
}

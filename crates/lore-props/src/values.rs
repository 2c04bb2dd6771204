//! The values of query and path parameters and form fields, one parser each: ids, dates,
//! page sizes, enums, names. Each gets edge numbers, odd dates and any text.

use lore_domain::{
    account, assignment, audit, certificate, course, date_range, discussion, funnel, group, need,
    notification, outcome, path, question, reactions, review, role, suggested_edit, webhook,
};
use proptest::prelude::*;
use time::{Date, Month, OffsetDateTime};

use crate::runner::{Outcome, Target, run};
use crate::text::value;

/// Today, as the clock gives it to a parser: never input, so any plausible date.
fn today() -> impl Strategy<Value = Date> {
    (1970i32..2200, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| {
        Date::from_calendar_date(y, Month::try_from(m).unwrap_or(Month::January), d)
            .unwrap_or(Date::MIN)
    })
}

fn moment() -> impl Strategy<Value = OffsetDateTime> {
    (today(), 0i64..86_400)
        .prop_map(|(d, s)| d.midnight().assume_utc() + time::Duration::seconds(s))
}

/// One parser that takes one text value.
macro_rules! text_targets {
    ($($name:literal => $parse:expr),+ $(,)?) => {
        vec![$(Target {
            name: $name,
            weight: 1,
            run: |cases, seed| {
                run(value(), cases, seed, |s: String| {
                    let _ = ($parse)(s.as_str());
                    Ok(())
                })
            },
        }),+]
    };
}

fn date_range_target(cases: u32, seed: u64) -> Outcome {
    // Callers pass today's date and a fixed default length; only the two texts are input.
    run(
        (
            proptest::option::of(value()),
            proptest::option::of(value()),
            today(),
            1i64..=366,
        ),
        cases,
        seed,
        |(from, to, today, days)| {
            let _ = date_range::DateRange::parse(from.as_deref(), to.as_deref(), today, days);
            Ok(())
        },
    )
}

fn dashboard_range_target(cases: u32, seed: u64) -> Outcome {
    run(
        (
            proptest::option::of(value()),
            proptest::option::of(value()),
            moment(),
        ),
        cases,
        seed,
        |(from, to, now)| {
            let _ = lore_app::dashboards::Range::parse(from.as_deref(), to.as_deref(), now);
            Ok(())
        },
    )
}

fn resolution_target(cases: u32, seed: u64) -> Outcome {
    run(
        (value(), value(), proptest::option::of(any::<i32>())),
        cases,
        seed,
        |(action, note, version)| {
            let _ = reactions::Resolution::parse(&action, &note, version);
            Ok(())
        },
    )
}

fn certificate_rules_target(cases: u32, seed: u64) -> Outcome {
    run(
        (any::<bool>(), value(), value()),
        cases,
        seed,
        |(awards, validity, reminders)| {
            let _ = certificate::CertificateRules::parse(awards, &validity, &reminders);
            Ok(())
        },
    )
}

fn event_types_target(cases: u32, seed: u64) -> Outcome {
    run(
        (proptest::collection::vec(value(), 0..5), any::<bool>()),
        cases,
        seed,
        |(raw, chat)| {
            let _ = webhook::parse_event_types(&raw, chat);
            Ok(())
        },
    )
}

pub fn targets() -> Vec<Target> {
    let mut all = text_targets![
        "email" => account::Email::parse,
        "person-name" => account::PersonName::parse,
        "new-password" => account::NewPassword::parse,
        "group-name" => group::GroupName::parse,
        "role" => role::Role::parse,
        "notification-kind" => notification::NotificationKind::parse,
        "mail-mode" => notification::MailMode::parse,
        "path-item-ref" => path::ItemRef::parse,
        "path-item-kind" => path::ItemKind::parse,
        "path-order" => path::PathOrder::parse,
        "date" => date_range::parse_date,
        "reaction-kind" => reactions::ReactionKind::parse,
        "reaction-status" => reactions::ReactionStatus::parse,
        "course-title" => course::CourseTitle::parse,
        "course-summary" => course::CourseSummary::parse,
        "step-title" => course::StepTitle::parse,
        "step-body" => course::StepBody::parse,
        "change-note" => course::ChangeNote::parse,
        "tags" => course::Tags::parse,
        "language" => course::Language::parse,
        "minutes" => course::Minutes::parse,
        "step-kind" => course::StepKind::parse,
        "step-key" => course::StepKey::parse,
        "course-status" => course::CourseStatus::parse,
        "version-state" => course::VersionState::parse,
        "need-title" => need::NeedTitle::parse,
        "urgency" => need::Urgency::parse,
        "need-status" => need::NeedStatus::parse,
        "need-problem" => need::parse_problem,
        "need-topic" => need::parse_topic,
        "need-questions" => need::parse_questions,
        "expert-state" => need::ExpertState::parse,
        "thread-title" => discussion::ThreadTitle::parse,
        "post-body" => discussion::PostBody::parse,
        "certificate-intervals" => certificate::parse_intervals,
        "allowed-range" => webhook::AllowedRange::parse,
        "hook-format" => webhook::HookFormat::parse,
        "delivery-status" => webhook::DeliveryStatus::parse,
        "review-days" => review::parse_review_days,
        "review-state" => review::ReviewState::parse,
        "verdict" => review::Verdict::parse,
        "outcome-value" => outcome::parse_value,
        "period-kind" => outcome::PeriodKind::parse,
        "funnel-stage" => funnel::Stage::parse,
        "funnel-via" => funnel::Via::parse,
        "assignment-target" => assignment::TargetKind::parse,
        "assignee-status" => assignment::AssigneeStatus::parse,
        "reminder-rule" => assignment::ReminderRule::parse_json,
        "audit-action" => audit::AuditAction::parse,
        "question-kind" => question::QuestionKind::parse,
        "evaluation-mode" => question::EvaluationMode::parse,
        "suggested-edit-status" => suggested_edit::SuggestedEditStatus::parse,
        "board-sort" => lore_app::needs::board::BoardSort::parse,
        "gaps-table" => lore_app::insights::csv::GapsTable::parse,
        "blob-purpose" => lore_app::blobs::BlobPurpose::parse,
        "blob-hash" => lore_app::blobs::is_blob_hash,
        "time-zone" => lore_app::profile::Zone::parse,
        "crm-cursor" => |s| lore_app::crm::parse_cursor(Some(s)),
        "insights-group" => |s| lore_app::insights::parse_group(Some(s)),
        "insights-topic" => |s| lore_app::insights::parse_topic(Some(s)),
        "funnel-via-param" => lore_app::funnels::parse_via,
        "catalogue-sort" => |s| lore_app::courses::catalogue::parse_sort(Some(s)),
    ];
    all.extend([
        Target {
            name: "date-range",
            weight: 2,
            run: date_range_target,
        },
        Target {
            name: "dashboard-range",
            weight: 2,
            run: dashboard_range_target,
        },
        Target {
            name: "reaction-resolution",
            weight: 1,
            run: resolution_target,
        },
        Target {
            name: "certificate-rules",
            weight: 1,
            run: certificate_rules_target,
        },
        Target {
            name: "webhook-event-types",
            weight: 1,
            run: event_types_target,
        },
    ]);
    all
}

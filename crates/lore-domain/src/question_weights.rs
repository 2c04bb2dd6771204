//! Checks of what GIFT brought into the question model: answer weights, graded short and
//! numerical answers, matching distractors. Messages say what to change.

use crate::Invalid;
use crate::question::{
    ChoiceOption, Distractor, FEEDBACK_MAX_CHARS, GradedNumber, GradedText, MAX_ACCEPTED,
    MAX_CHOICES, MatchPair, TEXT_MAX_CHARS, check_distinct, check_ids, check_text,
};

/// Moodle's own rule for several correct options is that the positive weights add up to
/// 100 %; this much slack lets 33.33333 × 3 through.
const WEIGHT_SUM_SLACK: f64 = 0.01;

/// A weight is a percentage from -100 to 100.
pub(crate) fn check_weight(weight: Option<f64>, index: usize) -> Result<(), Invalid> {
    match weight {
        Some(w) if !w.is_finite() || !(-100.0..=100.0).contains(&w) => Err(Invalid::new(
            "options",
            format!(
                "The weight of option {} is {w} %; give a percentage between -100 and 100.",
                index + 1
            ),
        )),
        _ => Ok(()),
    }
}

/// When any option of a multiple choice is weighted, the positive weights make 100 %, so a
/// fully right answer exists and earns exactly the points.
pub(crate) fn check_weight_sum(options: &[ChoiceOption]) -> Result<(), Invalid> {
    if options.iter().all(|o| o.weight.is_none()) {
        return Ok(());
    }
    let positive: f64 = options
        .iter()
        .map(|o| o.weight.unwrap_or(if o.correct { 100.0 } else { 0.0 }))
        .filter(|w| *w > 0.0)
        .sum();
    if (positive - 100.0).abs() > WEIGHT_SUM_SLACK {
        return Err(Invalid::new(
            "options",
            format!(
                "The positive weights add up to {} %; make them add up to 100 %.",
                (positive * 1000.0).round() / 1000.0
            ),
        ));
    }
    if options
        .iter()
        .any(|o| o.weight.is_some_and(|w| (w > 0.0) != o.correct))
    {
        return Err(Invalid::new(
            "options",
            "Mark as correct exactly the options with a positive weight.",
        ));
    }
    Ok(())
}

pub(crate) fn check_short_text(
    accepted: &[String],
    feedback: &[String],
    others: &[GradedText],
) -> Result<(), Invalid> {
    if accepted.len() + others.len() > MAX_ACCEPTED {
        return Err(Invalid::new(
            "accepted",
            format!(
                "Give at most {MAX_ACCEPTED} answers (this question has {}).",
                accepted.len() + others.len()
            ),
        ));
    }
    if feedback.len() > accepted.len() {
        return Err(Invalid::new(
            "feedback",
            "Give at most one feedback per accepted answer.",
        ));
    }
    for (i, f) in feedback.iter().enumerate() {
        let what = format!("the feedback of answer {}", i + 1);
        check_text("feedback", &what, f, false, FEEDBACK_MAX_CHARS)?;
    }
    for (i, o) in others.iter().enumerate() {
        let n = accepted.len() + i + 1;
        check_text(
            "accepted",
            &format!("answer {n}"),
            &o.text,
            true,
            TEXT_MAX_CHARS,
        )?;
        check_graded_weight(o.weight, n)?;
        let what = format!("the feedback of answer {n}");
        check_text("feedback", &what, &o.feedback, false, FEEDBACK_MAX_CHARS)?;
    }
    Ok(())
}

pub(crate) fn check_numbers(feedback: &str, others: &[GradedNumber]) -> Result<(), Invalid> {
    check_text(
        "feedback",
        "the feedback of the answer",
        feedback,
        false,
        FEEDBACK_MAX_CHARS,
    )?;
    if others.len() + 1 > MAX_ACCEPTED {
        return Err(Invalid::new(
            "value",
            format!(
                "Give at most {MAX_ACCEPTED} numbers (this question has {}).",
                others.len() + 1
            ),
        ));
    }
    for (i, o) in others.iter().enumerate() {
        let n = i + 2;
        if !o.value.is_finite() || !o.tolerance.is_finite() || o.tolerance < 0.0 {
            return Err(Invalid::new(
                "value",
                format!("Give answer {n} a number and a tolerance of 0 or more."),
            ));
        }
        check_graded_weight(o.weight, n)?;
        let what = format!("the feedback of answer {n}");
        check_text("feedback", &what, &o.feedback, false, FEEDBACK_MAX_CHARS)?;
    }
    Ok(())
}

/// Graded short and numerical answers are worth 0 to 100 % (Moodle allows no negative
/// weight there).
fn check_graded_weight(weight: f64, n: usize) -> Result<(), Invalid> {
    if weight.is_finite() && (0.0..=100.0).contains(&weight) {
        Ok(())
    } else {
        Err(Invalid::new(
            "accepted",
            format!("The weight of answer {n} is {weight} %; give a percentage from 0 to 100."),
        ))
    }
}

pub(crate) fn check_distractors(
    pairs: &[MatchPair],
    distractors: &[Distractor],
) -> Result<(), Invalid> {
    if pairs.len() + distractors.len() > MAX_CHOICES {
        return Err(Invalid::new(
            "pairs",
            format!(
                "Give at most {MAX_CHOICES} right-hand sides, distractors included (this \
                 question has {}).",
                pairs.len() + distractors.len()
            ),
        ));
    }
    check_ids(
        "pairs",
        "pair or distractor",
        pairs
            .iter()
            .map(|p| p.id.as_str())
            .chain(distractors.iter().map(|d| d.id.as_str())),
    )?;
    for (i, d) in distractors.iter().enumerate() {
        let what = format!("distractor {}", i + 1);
        check_text("pairs", &what, &d.text, true, TEXT_MAX_CHARS)?;
    }
    check_distinct(
        "pairs",
        "right side",
        pairs
            .iter()
            .map(|p| p.right.as_str())
            .chain(distractors.iter().map(|d| d.text.as_str())),
    )
}

#[cfg(test)]
mod tests {
    use crate::question::{Answer, Question, QuestionBody};
    use crate::scoring::score;

    #[test]
    fn questions_stored_before_weights_still_load_and_score_as_before() {
        let stored = r#"{"prompt":"Pick","kind":"multiple_choice","options":[
            {"id":"a","text":"x","correct":true},{"id":"b","text":"y","correct":true},
            {"id":"c","text":"z","correct":false}],"partial_credit":true,"points":2.0}"#;
        let q: Question = serde_json::from_str(stored).expect("old row loads");
        let pick = |ids: &[&str]| Answer::Choices(ids.iter().map(|s| (*s).to_owned()).collect());
        assert_eq!(score(&q, &pick(&["a"])).points, 1.0);
        assert_eq!(score(&q, &pick(&["a", "c"])).points, 0.0);
        let short = r#"{"prompt":"N","kind":"short_text","accepted":["x"],"case_sensitive":false,"points":1.0}"#;
        let q: Question = serde_json::from_str(short).expect("old row loads");
        assert!(matches!(q.body, QuestionBody::ShortText { ref others, .. } if others.is_empty()));
        let number = r#"{"prompt":"N","kind":"number","value":3.0,"tolerance":0.5,"points":1.0}"#;
        let q: Question = serde_json::from_str(number).expect("old row loads");
        assert_eq!(score(&q, &Answer::Number(3.4)).points, 1.0);
        let matching = r#"{"prompt":"M","kind":"matching","pairs":[{"id":"p1","left":"a","right":"b"}],"partial_credit":true,"points":1.0}"#;
        assert!(serde_json::from_str::<Question>(matching).is_ok());
    }

    #[test]
    fn new_fields_are_left_out_of_old_kinds_when_empty() {
        let q: Question = serde_json::from_str(
            r#"{"prompt":"N","kind":"number","value":3.0,"tolerance":0.5,"points":1.0}"#,
        )
        .expect("loads");
        let written = serde_json::to_string(&q).expect("writes");
        assert!(!written.contains("others"), "{written}");
        let essay: Question =
            serde_json::from_str(r#"{"prompt":"E","kind":"essay","points":1.0}"#).expect("loads");
        assert_eq!(essay.body, QuestionBody::plain_essay());
        assert_eq!(
            essay.max_points(),
            1.0,
            "an essay counts its points once reviewed (decision 0043)"
        );
    }
}

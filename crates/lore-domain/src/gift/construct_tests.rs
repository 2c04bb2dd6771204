//! One test per construct of Moodle's GIFT documentation: read, scored as Moodle would, and
//! written back to the same question.

use super::*;
use crate::question::{Answer, Question, QuestionBody};
use crate::scoring::{ESSAY_PENDING, score};

fn one(text: &str) -> GiftQuestion {
    let mut parsed = parse_gift(text).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(parsed.len(), 1, "{parsed:?}");
    let q = parsed.remove(0);
    let again = parse_gift(&to_gift(&[(q.title.clone(), q.question.clone())]))
        .unwrap_or_else(|e| panic!("written back: {e:?}"));
    assert_eq!(again[0].question, q.question, "import(export(x)) == x");
    assert_eq!(again[0].title, q.title);
    q
}

fn points(q: &Question, a: Answer) -> f64 {
    score(q, &a).points
}

fn choose(id: &str) -> Answer {
    Answer::Choices(vec![id.to_owned()])
}

#[test]
fn missing_word_keeps_the_text_after_the_answers() {
    let q =
        one("Moodle costs {~lots of money =nothing ~a small amount} to download from moodle.org.");
    assert_eq!(
        q.question.prompt,
        "Moodle costs _____ to download from moodle.org."
    );
    assert_eq!(points(&q.question, choose("b")), 1.0);
    assert_eq!(points(&q.question, choose("a")), 0.0);
    let gift = to_gift(&[(None, q.question)]);
    assert!(gift.contains("Moodle costs {"), "{gift}");
    assert!(gift.contains("} to download from moodle.org."), "{gift}");
}

#[test]
fn a_question_name_and_a_category_line_are_read() {
    let text =
        "$CATEGORY: $course$/top/Sky & sea\n\n::Colour of the sky::The sky is {=blue ~green}.\n";
    let q = parse_gift(text).expect("parses").remove(0);
    assert_eq!(q.title.as_deref(), Some("Colour of the sky"));
    assert_eq!(q.category.as_deref(), Some("Sky & sea"));
    assert_eq!(q.line, 3);
}

#[test]
fn a_category_line_with_markup_is_refused_at_its_line_and_the_rest_is_read() {
    let text = "Good {=a ~b}\n\n$CATEGORY: <script>alert(1)</script>\nNext {T}\n";
    let checked = check_gift(text);
    assert_eq!(checked.len(), 3, "{checked:?}");
    assert!(checked[0].is_ok());
    let bad = checked[1].as_ref().expect_err("refused");
    assert_eq!(bad[0].line, 3);
    assert!(bad[0].reason.contains("plain name"), "{bad:?}");
    let next = checked[2].as_ref().expect("the question under it is read");
    assert_eq!(next.category, None, "the bad category is not used");
}

#[test]
fn text_formats_are_read_and_html_is_kept_for_the_sanitiser() {
    let q = one("[html]<p>Is <b>this</b> bold?</p>{T}");
    assert_eq!(q.question.prompt, "<p>Is <b>this</b> bold?</p>");
    assert_eq!(one("[plain]Plain? {F}").question.prompt, "Plain?");
    assert_eq!(one("[moodle]Auto? {F}").question.prompt, "Auto?");
    assert_eq!(one("[markdown]**Bold**? {F}").question.prompt, "**Bold**?");
}

#[test]
fn per_answer_feedback_is_kept_for_every_kind() {
    let q = one("Colour? {=red#Right. =%50%pink#Nearly. ~%0%blue#No.}");
    // `~` makes it a choice; the =red is the key.
    assert_eq!(score(&q.question, &choose("b")).feedback, vec!["Nearly."]);
    assert_eq!(score(&q.question, &choose("b")).points, 0.5);
    let short = one("Two plus two? {=four#Yes. =4#Digits work too. =%50%for#Spelling!}");
    let s = score(&short.question, &Answer::Text("FOR".to_owned()));
    assert_eq!((s.points, s.feedback), (0.5, vec!["Spelling!".to_owned()]));
    let s = score(&short.question, &Answer::Text("4".to_owned()));
    assert_eq!(
        (s.points, s.feedback),
        (1.0, vec!["Digits work too.".to_owned()])
    );
    let n = one("Half of five? {#2.5:0.01#Good.}");
    assert_eq!(
        score(&n.question, &Answer::Number(2.505)).feedback,
        vec!["Good."]
    );
}

#[test]
fn general_feedback_follows_four_hashes() {
    let q = one("Sky? {=blue ~red ####The sky scatters blue light.}");
    assert_eq!(q.question.explanation, "The sky scatters blue light.");
}

#[test]
fn partial_credit_follows_the_weights_including_negative_ones() {
    let q = one("Which are in Europe? {~%50%France ~%50%Spain ~%-100%Peru ~%-100%Chile}");
    let pick = |ids: &[&str]| Answer::Choices(ids.iter().map(|s| (*s).to_owned()).collect());
    assert_eq!(points(&q.question, pick(&["a", "b"])), 1.0);
    assert!(score(&q.question, &pick(&["a", "b"])).correct);
    assert_eq!(points(&q.question, pick(&["a"])), 0.5);
    assert_eq!(points(&q.question, pick(&["a", "c"])), 0.0, "never below 0");
    assert_eq!(points(&q.question, pick(&["c", "d"])), 0.0);
}

#[test]
fn a_weight_over_100_is_refused() {
    let e = parse_gift("Q {~%150%a ~b}").expect_err("refused");
    assert!(e[0].reason.contains("between -100 and 100"));
    let e = parse_gift("Q {~%60%a ~%60%b ~c}").expect_err("refused");
    assert!(e[0].reason.contains("add up to 120"), "{e:?}");
}

#[test]
fn numerical_answers_with_tolerance_range_and_several_grades() {
    let q = one("When was Grant born? {#1822:5}");
    assert_eq!(points(&q.question, Answer::Number(1826.0)), 1.0);
    let q = one("A number from 1 to 2? {#1..2}");
    assert_eq!(points(&q.question, Answer::Number(1.2)), 1.0);
    assert_eq!(points(&q.question, Answer::Number(2.2)), 0.0);
    let q = one("When was Ulysses S. Grant born? {#\n=1822:0 #Right.\n=%50%1822:2 #Close.\n}");
    assert_eq!(points(&q.question, Answer::Number(1822.0)), 1.0);
    let s = score(&q.question, &Answer::Number(1823.0));
    assert_eq!((s.points, s.feedback), (0.5, vec!["Close.".to_owned()]));
    assert_eq!(points(&q.question, Answer::Number(1830.0)), 0.0);
    let inline = one("Grant? {# =1822:0 =%50%1822:2}");
    assert_eq!(points(&inline.question, Answer::Number(1821.0)), 0.5);
}

#[test]
fn matching_with_a_distractor() {
    let q = one("Match the sounds. {\n=Dog -> Woof\n=Cow -> Moo\n= -> Meow\n}");
    let QuestionBody::Matching { distractors, .. } = &q.question.body else {
        panic!("{q:?}");
    };
    assert_eq!(distractors.len(), 1);
    assert_eq!(distractors[0].text, "Meow");
    let view = crate::question::public_view(&q.question, 7, false);
    assert_eq!(view.rights.len(), 3, "the distractor is offered");
    let m = |pairs: &[(&str, &str)]| {
        Answer::Matches(
            pairs
                .iter()
                .map(|(l, r)| ((*l).to_owned(), (*r).to_owned()))
                .collect(),
        )
    };
    assert_eq!(points(&q.question, m(&[("p1", "p1"), ("p2", "p2")])), 1.0);
    assert_eq!(points(&q.question, m(&[("p1", "d1"), ("p2", "p2")])), 0.5);
}

#[test]
fn true_false_with_right_and_wrong_feedback() {
    let q = one("Grant is buried in Grant's tomb.{F#No one is buried there.#Right: entombed.}");
    assert_eq!(
        score(&q.question, &Answer::Bool(false)).feedback,
        vec!["Right: entombed."]
    );
    assert_eq!(
        score(&q.question, &Answer::Bool(true)).feedback,
        vec!["No one is buried there."]
    );
}

#[test]
fn an_essay_is_kept_and_waits_for_review() {
    let q = one("Write about your team.{}");
    assert_eq!(q.question.body, QuestionBody::plain_essay());
    let s = score(&q.question, &Answer::Text("We ship.".to_owned()));
    // No points until a reviewer gives them; the essay's points count in the maximum.
    assert_eq!((s.points, s.max), (0.0, q.question.points));
    assert_eq!(s.feedback, vec![ESSAY_PENDING.to_owned()]);
}

#[test]
fn escapes_comments_and_multi_line_answers() {
    let text = "// a comment line\n::Esc\\:aped::Is 1 \\= 1 \\{really\\}? {\n  =yes \\~ sure\n  // a comment inside\n  ~no \\#way\n}";
    let q = one(text);
    assert_eq!(q.title.as_deref(), Some("Esc:aped"));
    assert_eq!(q.question.prompt, "Is 1 = 1 {really}?");
    let QuestionBody::SingleChoice { options } = &q.question.body else {
        panic!("{q:?}");
    };
    assert_eq!(options[0].text, "yes ~ sure");
    assert_eq!(options[1].text, "no #way");
}

#[test]
fn unbalanced_braces_and_many_answers_are_refused_with_their_line() {
    let e = parse_gift("\nQ {=a ~b\n").expect_err("refused");
    assert_eq!(e[0].line, 2);
    let many: String = (0..500).map(|i| format!(" ~w{i}")).collect();
    let e = parse_gift(&format!("Q {{=right{many}}}")).expect_err("refused");
    assert!(e[0].reason.contains("between 2 and 12"), "{e:?}");
}

#[test]
fn short_answer_wildcards_score_as_in_moodle_and_write_back_unchanged() {
    let q = one("Where is the Louvre? {=*Paris* #Yes. =%50%Fr*nce #The country. =2\\*3}\n");
    let QuestionBody::ShortText {
        accepted, others, ..
    } = &q.question.body
    else {
        panic!("{q:?}");
    };
    assert_eq!(accepted, &["*Paris*", "2\\*3"]);
    assert_eq!(others[0].text, "Fr*nce");
    let text = |s: &str| Answer::Text(s.to_owned());
    assert_eq!(points(&q.question, text("in paris, I think")), 1.0);
    assert_eq!(points(&q.question, text("FRANCE")), 0.5);
    assert_eq!(points(&q.question, text("2*3")), 1.0);
    assert_eq!(points(&q.question, text("2x3")), 0.0);
    assert_eq!(points(&q.question, text("London")), 0.0);
    let gift = to_gift(&[(None, q.question.clone())]);
    assert!(gift.contains("=*Paris*"), "{gift}");
}

//! One POST to the other store's `statements` resource: the address checked again and
//! pinned to what was checked, Basic credentials, the chosen `X-Experience-API-Version`,
//! a 20-second limit and no redirects; then what the answer means for each statement. A
//! batch refused for one statement's sake is sent again one by one, so that only the
//! refused ones stay behind.

use std::time::Duration as StdDuration;

use lore_domain::webhook::AllowedRange;
use lore_domain::xapi_forwarding::{Answer, classify};
use lore_store::{ForwardStatement, ForwardingRow};
use lore_xapi::Part;

use crate::webhooks::{Refusal, resolve};

/// How long the other store has to answer.
const TIMEOUT: StdDuration = StdDuration::from_secs(20);

/// How much of a refusal's answer is kept with the dead letter.
const EXCERPT_CHARS: usize = 300;

/// Where and how to send.
pub(super) struct Endpoint {
    client: reqwest::Client,
    statements: reqwest::Url,
    username: String,
    secret: String,
    version: String,
}

/// What became of the statements sent.
#[derive(Debug)]
pub(super) enum Sent {
    /// Every one is in the other store.
    Delivered,
    /// These (indexes into what was sent) were refused for good; the others arrived.
    Refused {
        refused: Vec<usize>,
        status: Option<i32>,
        error: String,
    },
    /// Nothing can be said yet: try the whole batch again later.
    Failed { status: Option<i32>, error: String },
}

/// One try's answer: the status and a short excerpt, or why there is none.
enum Reply {
    Status(u16, String),
    /// No answer: `permanent` when trying again cannot help (the address is refused).
    NoAnswer {
        error: String,
        permanent: bool,
    },
}

impl Endpoint {
    /// The endpoint of the settings, checked and resolved now; `Err` as `Sent`.
    pub(super) async fn open(row: &ForwardingRow, allowed: &[AllowedRange]) -> Result<Self, Sent> {
        let target = match resolve(&row.endpoint, allowed).await {
            Ok(t) => t,
            Err(r @ Refusal::Unresolved(_)) => {
                return Err(Sent::Failed {
                    status: None,
                    error: r.message(),
                });
            }
            Err(r) => {
                return Err(Sent::Failed {
                    status: None,
                    error: format!("refused: {}", r.message()),
                });
            }
        };
        let statements = target.url.join("statements").map_err(|e| Sent::Failed {
            status: None,
            error: format!("bad address: {e}"),
        })?;
        let mut client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .no_proxy()
            .user_agent(concat!("Lore-xAPI-Forwarding/", env!("CARGO_PKG_VERSION")));
        if let Some(host) = &target.host {
            client = client.resolve_to_addrs(host, &target.addrs);
        }
        let client = client.build().map_err(|e| Sent::Failed {
            status: None,
            error: format!("HTTP client: {e}"),
        })?;
        Ok(Endpoint {
            client,
            statements,
            username: row.username.clone(),
            secret: row.secret.clone().unwrap_or_default(),
            version: row.version.clone(),
        })
    }

    /// Send `batch`; split it on a refusal that may be one statement's.
    pub(super) async fn deliver(&self, batch: &[ForwardStatement], parts: &[Part]) -> Sent {
        let reply = self.post(batch, parts).await;
        let (code, excerpt) = match reply {
            Reply::NoAnswer { error, permanent } => {
                return if permanent {
                    Sent::Refused {
                        refused: (0..batch.len()).collect(),
                        status: None,
                        error,
                    }
                } else {
                    Sent::Failed {
                        status: None,
                        error,
                    }
                };
            }
            Reply::Status(code, excerpt) => (code, excerpt),
        };
        match classify(code) {
            Answer::Delivered => Sent::Delivered,
            Answer::AlreadyThere if batch.len() == 1 => Sent::Delivered,
            Answer::Retry => Sent::Failed {
                status: Some(i32::from(code)),
                error: refusal_text(code, &excerpt),
            },
            Answer::Refused {
                per_statement: false,
            } => Sent::Refused {
                refused: (0..batch.len()).collect(),
                status: Some(i32::from(code)),
                error: refusal_text(code, &excerpt),
            },
            Answer::Refused {
                per_statement: true,
            } if batch.len() == 1 => Sent::Refused {
                refused: vec![0],
                status: Some(i32::from(code)),
                error: refusal_text(code, &excerpt),
            },
            Answer::AlreadyThere | Answer::Refused { .. } => self.one_by_one(batch, parts).await,
        }
    }

    async fn one_by_one(&self, batch: &[ForwardStatement], parts: &[Part]) -> Sent {
        let mut refused = Vec::new();
        let mut last = (None, String::new());
        for (i, s) in batch.iter().enumerate() {
            match self.post(std::slice::from_ref(s), parts).await {
                Reply::NoAnswer {
                    error,
                    permanent: false,
                } => {
                    return Sent::Failed {
                        status: None,
                        error,
                    };
                }
                Reply::NoAnswer {
                    error,
                    permanent: true,
                } => {
                    refused.push(i);
                    last = (None, error);
                }
                Reply::Status(code, excerpt) => match classify(code) {
                    Answer::Delivered | Answer::AlreadyThere => {}
                    Answer::Retry => {
                        return Sent::Failed {
                            status: Some(i32::from(code)),
                            error: refusal_text(code, &excerpt),
                        };
                    }
                    Answer::Refused { .. } => {
                        refused.push(i);
                        last = (Some(i32::from(code)), refusal_text(code, &excerpt));
                    }
                },
            }
        }
        if refused.is_empty() {
            Sent::Delivered
        } else {
            Sent::Refused {
                refused,
                status: last.0,
                error: last.1,
            }
        }
    }

    /// POST the statements as a JSON array of exactly what is stored; with the attachment
    /// parts they name, as multipart/mixed (an LRS never passes a statement on without its
    /// attachments: xAPI 1.0.3 Communication 1.5.2).
    async fn post(&self, statements: &[ForwardStatement], parts: &[Part]) -> Reply {
        let (content_type, body) = match body_of(statements, parts) {
            Some((content_type, bytes)) => (content_type, reqwest::Body::from(bytes)),
            None => (
                "application/json".to_owned(),
                reqwest::Body::from(json_array(statements)),
            ),
        };
        let request = self
            .client
            .post(self.statements.clone())
            .basic_auth(&self.username, Some(&self.secret))
            .header("X-Experience-API-Version", &self.version)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body);
        self.answer_of(request).await
    }

    async fn answer_of(&self, request: reqwest::RequestBuilder) -> Reply {
        match request.send().await {
            Ok(response) => {
                let code = response.status().as_u16();
                let text = response.text().await.unwrap_or_default();
                let excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
                Reply::Status(code, excerpt)
            }
            Err(e) if e.is_timeout() => Reply::NoAnswer {
                error: format!("no answer within {} seconds", TIMEOUT.as_secs()),
                permanent: false,
            },
            Err(e) if e.is_connect() => Reply::NoAnswer {
                error: "could not connect".into(),
                permanent: false,
            },
            // The error's text would name the address only; never credentials (they are in
            // a header, and an address holding any is refused on save).
            Err(e) => Reply::NoAnswer {
                error: format!("sending failed: {e}"),
                permanent: false,
            },
        }
    }
}

/// What the log says of an answer that is not a success.
fn refusal_text(code: u16, excerpt: &str) -> String {
    let status = reqwest::StatusCode::from_u16(code)
        .map(|s| s.to_string())
        .unwrap_or_else(|_| code.to_string());
    let mut text = if (300..400).contains(&code) {
        format!("the other store answered {status} (redirects are not followed)")
    } else {
        format!("the other store answered {status}")
    };
    let excerpt = excerpt.trim();
    if !excerpt.is_empty() {
        text.push_str(": ");
        text.push_str(excerpt);
    }
    text
}

/// The statements as one JSON array of exactly what is stored.
fn json_array(statements: &[ForwardStatement]) -> String {
    let mut body = String::with_capacity(
        statements
            .iter()
            .map(|s| s.statement.len() + 1)
            .sum::<usize>()
            + 2,
    );
    body.push('[');
    for (i, s) in statements.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&s.statement);
    }
    body.push(']');
    body
}

/// A multipart/mixed body (content type, bytes) when these statements name any of `parts`.
fn body_of(statements: &[ForwardStatement], parts: &[Part]) -> Option<(String, Vec<u8>)> {
    let parsed: Vec<serde_json::Value> = statements
        .iter()
        .filter_map(|s| serde_json::from_str(&s.statement).ok())
        .collect();
    let named = attachment_sha2s(&parsed);
    let mine: Vec<Part> = parts
        .iter()
        .filter(|p| named.contains(&p.sha2))
        .cloned()
        .collect();
    if mine.is_empty() {
        return None;
    }
    Some(lore_xapi::write_multipart(
        &serde_json::Value::Array(parsed),
        &mine,
    ))
}

/// The SHA-2 of every attachment these statements name.
pub(super) fn attachment_sha2s(statements: &[serde_json::Value]) -> Vec<String> {
    let mut named: Vec<String> = statements
        .iter()
        .flat_map(|s| {
            s.get("attachments")
                .and_then(serde_json::Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter_map(|a| a.get("sha2").and_then(serde_json::Value::as_str))
        .map(str::to_owned)
        .collect();
    named.sort();
    named.dedup();
    named
}

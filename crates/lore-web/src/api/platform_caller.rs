//! The caller of an operation only platform administrators may use, checked against the
//! policy before anything else of the request is read: someone else gets 403 whatever the
//! address or body, so a refusal never tells which inputs would have been valid.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use lore_app::Caller;
use lore_domain::policy::{Action, Resource};

use crate::WebState;
use crate::error::ApiError;
use crate::session::ApiCaller;

/// A platform-wide action of the policy, as a type an extractor can name.
pub trait PlatformAction {
    const ACTION: Action;
}

/// Manage the platform's webhooks.
pub struct ManageWebhooks;
impl PlatformAction for ManageWebhooks {
    const ACTION: Action = Action::ManageWebhooks;
}

/// Forward statements to another learning record store.
pub struct ForwardStatements;
impl PlatformAction for ForwardStatements {
    const ACTION: Action = Action::ForwardStatements;
}

/// See the instance: the audit log, the CRM feed, the record store's clients.
pub struct ViewInstance;
impl PlatformAction for ViewInstance {
    const ACTION: Action = Action::ViewInstance;
}

/// Import people in bulk.
pub struct ImportPeople;
impl PlatformAction for ImportPeople {
    const ACTION: Action = Action::ImportPeople;
}

/// An [`ApiCaller`] the policy allows `A` on the platform; the use case checks again.
pub struct PlatformCaller<A>(pub Caller, pub PhantomData<A>);

impl<A: PlatformAction> FromRequestParts<WebState> for PlatformCaller<A> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let ApiCaller(caller) = ApiCaller::from_request_parts(parts, state).await?;
        caller.require(A::ACTION, Resource::Platform)?;
        Ok(PlatformCaller(caller, PhantomData))
    }
}

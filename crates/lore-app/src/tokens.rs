//! Personal API tokens: created, listed, revoked; shown once, stored hashed.

use lore_store::TokenRow;

use crate::secrets::{random_token, sha256_hex};
use crate::{App, AppError, AppResult, Caller};

/// Every token starts with this, so leaked tokens are easy to find in code and logs.
pub const TOKEN_PREFIX: &str = "lore_";

/// The longest name of a token (and of a learning record store client).
pub const NAME_MAX_CHARS: usize = 80;

impl App {
    /// Create a token; the returned secret is shown once and never again.
    pub async fn create_token(&self, caller: &Caller, name: &str) -> AppResult<(TokenRow, String)> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
            return Err(AppError::invalid(
                "name",
                "Give the token a name of 1 to 80 characters, like \"CI export\".",
            ));
        }
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        let prefix: String = secret.chars().take(TOKEN_PREFIX.len() + 6).collect();
        let row = self
            .store
            .insert_token(caller.id.0, name, sha256_hex(&secret), prefix, self.now())
            .await?;
        tracing::info!(target: "lore::audit", user_id = caller.id.0, token_id = row.id, "API token created");
        Ok((row, secret))
    }

    pub async fn my_tokens(&self, caller: &Caller) -> AppResult<Vec<TokenRow>> {
        Ok(self.store.tokens_of(caller.id.0).await?)
    }

    pub async fn revoke_token(&self, caller: &Caller, id: i64) -> AppResult<()> {
        if self.store.revoke_token(caller.id.0, id, self.now()).await? {
            tracing::info!(target: "lore::audit", user_id = caller.id.0, token_id = id, "API token revoked");
            Ok(())
        } else {
            Err(AppError::NotFound("That token"))
        }
    }

    /// The person behind a bearer token, if the token is live and the person active: the
    /// token and the person come in one statement; its last use is written at most once a
    /// minute.
    pub async fn caller_by_token(&self, secret: &str) -> AppResult<Option<Caller>> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let Some(found) = self.store.token_lookup(&sha256_hex(secret)).await? else {
            return Ok(None);
        };
        let Some(person) = found.person else {
            return Ok(None);
        };
        let now = self.now();
        if found
            .last_used_at
            .is_none_or(|t| now - t > time::Duration::minutes(1))
        {
            self.store.mark_token_used(found.id, now).await?;
        }
        Ok(Some(Caller::from_record(person)))
    }
}

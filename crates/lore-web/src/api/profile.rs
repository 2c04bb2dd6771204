//! `GET/PATCH /me/profile`: the caller's display name, photo, language and time zone.

use axum::Json;
use axum::extract::State;
use lore_app::profile::{ProfileChange, ProfileView};
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::ApiJson;
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// The caller's profile.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Profile {
    pub name: String,
    pub email: String,
    /// An IANA time zone name (`Europe/Paris`); pages show dates in it.
    pub time_zone: String,
    /// A language code: `en`, `de`, `es`, `fr`, `it`, `nl` or `pt`.
    pub language: String,
    /// The photo's blob hash (the image is at `/blobs/{hash}`), if there is one.
    pub photo: Option<String>,
}

impl From<ProfileView> for Profile {
    fn from(p: ProfileView) -> Self {
        Profile {
            name: p.name,
            email: p.email,
            time_zone: p.time_zone,
            language: p.language,
            photo: p.photo,
        }
    }
}

/// Fields to change; those left out keep their value. All are checked before any is saved.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdate {
    pub name: Option<String>,
    /// An IANA time zone name, as `Europe/Paris`.
    pub time_zone: Option<String>,
    pub language: Option<String>,
    /// The hash of an image uploaded with `POST /blobs`, or `""` to remove the photo.
    pub photo: Option<String>,
}

#[utoipa::path(
    get,
    path = "/me/profile",
    operation_id = "get_profile",
    tag = "me",
    summary = "The caller's profile",
    responses(
        (status = 200, description = "The profile", body = Profile),
        (status = 401, description = "No valid token or session", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Profile>> {
    Ok(Json(state.app.profile(&caller).await?.into()))
}

#[utoipa::path(
    patch,
    path = "/me/profile",
    operation_id = "update_profile",
    tag = "me",
    summary = "Change the caller's name, time zone, language or photo",
    request_body = ProfileUpdate,
    responses(
        (status = 200, description = "The profile as it is now", body = Profile),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 422, description = "A field is not valid (an unknown time zone or language, an empty name, a photo that is not an uploaded image); nothing was changed", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<ProfileUpdate>,
) -> ApiResult<Json<Profile>> {
    let change = ProfileChange {
        name: body.name.as_deref(),
        time_zone: body.time_zone.as_deref(),
        language: body.language.as_deref(),
        photo: body.photo.as_deref(),
        photo_upload: None,
    };
    Ok(Json(
        state.app.update_profile(&caller, change).await?.into(),
    ))
}

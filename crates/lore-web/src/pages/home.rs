//! The home page: what the signed-in person has.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};

use super::NoticeQuery;
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
    first_name: String,
    groups: Vec<lore_app::groups::MyGroup>,
    platform_admin: bool,
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<HomePage, PageError> {
    let caller = viewer.caller();
    let groups = state.app.my_groups(caller).await?;
    Ok(HomePage {
        layout: Layout::for_session(&viewer.0, "home").with_notice(q.notice.as_deref()),
        first_name: caller
            .name
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_owned(),
        groups,
        platform_admin: caller.platform_admin,
    })
}

//! The router's list of routes. axum keeps none that can be read, so every route is added
//! through [`Routes`], which hands it to axum and remembers its path pattern; a test walks
//! [`crate::route_table`] and so cannot miss a route added later.

use axum::Router;
use axum::routing::MethodRouter;

use crate::WebState;

/// An axum router that also remembers the path pattern of each route given to it.
pub(crate) struct Routes {
    router: Router<WebState>,
    paths: Vec<String>,
}

impl Routes {
    pub fn new() -> Self {
        Self {
            router: Router::new(),
            paths: Vec::new(),
        }
    }

    pub fn route(mut self, path: &str, method_router: MethodRouter<WebState>) -> Self {
        self.router = self.router.route(path, method_router);
        self.paths.push(path.to_owned());
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    pub fn nest(mut self, prefix: &str, other: Routes) -> Self {
        self.router = self.router.nest(prefix, other.router);
        self.paths
            .extend(other.paths.into_iter().map(|p| format!("{prefix}{p}")));
        self
    }

    /// Change the axum router of the routes added so far (a layer, a fallback); the paths
    /// stay as they are.
    pub fn map(mut self, change: impl FnOnce(Router<WebState>) -> Router<WebState>) -> Self {
        self.router = change(self.router);
        self
    }

    /// The path patterns, in the order added (`/courses/{id}`).
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    pub fn into_router(self) -> Router<WebState> {
        self.router
    }
}

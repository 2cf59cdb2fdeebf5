//! Every error class leaves the server as RFC 9457 problem+json.

use crate::harness::{assert_problem, both_backends, TestApp};
use reqwest::Method;

both_backends!(unknown_route_is_404, wrong_method_is_405_with_allow);

async fn unknown_route_is_404(app: TestApp) {
    let body = assert_problem(app.get("/no/such/route").await, 404, "not_found").await;
    assert!(body["detail"].as_str().unwrap().contains("/no/such/route"));
}

async fn wrong_method_is_405_with_allow(app: TestApp) {
    let res = app.request(Method::DELETE, "/health/live").send().await.unwrap();
    assert_eq!(res.headers()["allow"], "GET");
    assert_problem(res, 405, "method_not_allowed").await;
}

//! `fastgen dev`'s local API Gateway: what it sends the Lambda handler of an API, and
//! what it makes of the handler's answer, as API Gateway does.

pub mod event;
pub mod response;
pub mod routes;

/// The Lambda proxy payload an API sends its functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadVersion {
    /// A REST API's (1.0).
    V1,
    /// An HTTP API's (2.0).
    V2,
}

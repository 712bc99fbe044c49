//! `fastgen dev`'s local API Gateway: what it sends the Lambda handler of an API, and
//! what it makes of the handler's answer, as API Gateway does.

pub mod event;

//! The HTTPS/1.1 front end (hyper over rustls): accept connections on a cluster's listener, turn each
//! request into an `api::Req`, and write the `api::Reply` back (pretty JSON for curl-like
//! clients, as the real server does; streamed bodies for watches).

use super::api::{self, Reply, Req};
use super::cluster::Cluster;
use super::route;
use super::verbs::MAX_BODY;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

type Body = BoxBody<Bytes, Infallible>;

fn full(b: impl Into<Bytes>) -> Body {
    Full::new(b.into()).boxed()
}

/// Serve `cluster` over TLS on `listener` until `stop` flips to true.
pub async fn serve(
    listener: TcpListener,
    tls: TlsAcceptor,
    cluster: Arc<Cluster>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let conn = tokio::select! {
            c = listener.accept() => c,
            _ = stop.changed() => return,
        };
        let Ok((stream, _)) = conn else { continue };
        let mut outage = cluster.outage();
        if *outage.borrow_and_update() {
            // A simulated outage: the connection is closed before a byte is read.
            continue;
        }
        let _ = stream.set_nodelay(true);
        let cluster = cluster.clone();
        let mut stop = stop.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let Ok(stream) = tls.accept(stream).await else {
                return;
            };
            let service = service_fn(move |req| handle(cluster.clone(), req));
            let conn = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.changed() => {}
                _ = outage.wait_for(|down| *down) => {}
            }
        });
    }
}

fn header(req: &Request<Incoming>, name: &str) -> String {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn handle(cluster: Arc<Cluster>, req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = route::query(req.uri().query());
    let content_type = header(&req, "content-type");
    let accept = header(&req, "accept");
    let user_agent = header(&req, "user-agent");
    let authorization = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let pretty = query.get("pretty").is_some_and(|p| p == "true" || p == "1")
        || ["curl", "Wget", "Mozilla/5.0"]
            .iter()
            .any(|p| user_agent.starts_with(p));
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            let too_large = e.downcast_ref::<http_body_util::LengthLimitError>().is_some();
            let err = if too_large {
                super::status::ApiError::too_large()
            } else {
                super::status::ApiError::bad_request("the request body could not be read")
            };
            return Ok(respond(err.into(), pretty));
        }
    };
    let req = Req {
        method,
        path,
        query,
        content_type,
        accept,
        user_agent,
        authorization,
        body,
    };
    // Handlers are synchronous and short (the store lock is never held across an await).
    let reply = api::handle(&cluster, req);
    Ok(respond(reply, pretty))
}

fn respond(reply: Reply, pretty: bool) -> Response<Body> {
    let (code, body, ct) = match reply {
        Reply::Json {
            code,
            body,
            content_type,
        } => {
            let bytes = if pretty {
                serde_json::to_vec_pretty(&body)
            } else {
                serde_json::to_vec(&body)
            };
            (code, full(bytes.unwrap_or_default()), content_type)
        }
        Reply::Raw { code, body } => {
            let body = if pretty {
                serde_json::from_slice::<serde_json::Value>(&body)
                    .and_then(|v| serde_json::to_vec_pretty(&v))
                    .map(Bytes::from)
                    .unwrap_or(body)
            } else {
                body
            };
            (code, full(body), "application/json".to_string())
        }
        Reply::Text { code, body } => (code, full(body), "text/plain; charset=utf-8".to_string()),
        Reply::Bytes {
            code,
            body,
            content_type,
        } => (code, full(body), content_type.to_string()),
        Reply::Stream(rx) => {
            let stream = futures::stream::unfold(rx, |mut rx| async move {
                rx.recv().await.map(|b| (Ok::<_, Infallible>(Frame::data(b)), rx))
            });
            (
                200,
                BodyExt::boxed(StreamBody::new(stream)),
                "application/json".to_string(),
            )
        }
    };
    let mut resp = Response::new(body);
    *resp.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = HeaderValue::from_str(&ct) {
        resp.headers_mut().insert(CONTENT_TYPE, v);
    }
    resp.headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-cache, private"));
    resp
}

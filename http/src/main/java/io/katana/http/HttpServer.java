package io.katana.http; /** Placeholder. */ public final class HttpServer { private HttpServer() {} }

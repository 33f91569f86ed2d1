// The app's configuration API (POST graphql, next to this page), called with the dashboard's token.

/** The app refused the token (HTTP 401): expired, forged, another app's or another shop's. */
export class ApiAuthenticationError extends Error {
  constructor(message) {
    super(message);
    this.name = "ApiAuthenticationError";
  }
}

/** The user is who they say, but lacks a permission every call needs (HTTP 403); `permissions` names them. */
export class ApiPermissionError extends Error {
  constructor(message, permissions) {
    super(message);
    this.name = "ApiPermissionError";
    this.permissions = permissions;
  }
}

/** Anything else that went wrong: no answer, a server error, a refused request (`code` says which). */
export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }
}

/**
 * request(query, variables) -> data. `token()` is asked at each call, so a refreshed token is used at once and
 * the token lives only where the caller keeps it.
 */
export function createConfigApi({ endpoint, saleorApiUrl, token, fetchImpl = globalThis.fetch.bind(globalThis) }) {
  return async function request(query, variables = {}) {
    const bearer = token();
    if (!bearer) throw new ApiAuthenticationError("the dashboard has not sent a token");
    let response;
    try {
      response = await fetchImpl(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Authorization: `Bearer ${bearer}`,
          "Saleor-Api-Url": saleorApiUrl,
        },
        body: JSON.stringify({ query, variables }),
        credentials: "omit",
        cache: "no-store",
      });
    } catch (failure) {
      throw new ApiError(`the app did not answer (${failure.message})`, "NETWORK");
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    const errors = Array.isArray(body?.errors) ? body.errors : [];
    const first = errors[0];
    if (response.status === 401) throw new ApiAuthenticationError(first?.message || "the app refused the token");
    if (response.status === 403) {
      const missing = first?.extensions?.permissions;
      throw new ApiPermissionError(first?.message || "a permission is missing", Array.isArray(missing) ? missing : []);
    }
    if (!response.ok || !body) {
      throw new ApiError(first?.message || `the app answered HTTP ${response.status}`, first?.extensions?.code || "HTTP");
    }
    if (errors.length) throw new ApiError(errors.map((error) => error.message).join("; "), first.extensions?.code || "ERROR");
    return body.data;
  };
}

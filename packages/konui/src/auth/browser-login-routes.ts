import { documented, validate } from "@kon/openapi";
import { ApiError, LOGIN_HINT_COOKIE, REFRESH_COOKIE, TokenRequest, TokenResponse } from "@kon/protocol";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Services } from "../services.ts";
import { bearerToken } from "./guard.ts";
import { checkLogin } from "./login.ts";
import type { IssuedRefreshToken } from "./refresh-tokens.ts";
import { noStore, tokenResponse } from "./token-response.ts";

const COOKIE_PATH = "/api/auth";

/**
 * Browser logins that survive a reload: `login` answers an access token and sets the httpOnly
 * refresh cookie, `refresh` rotates it for a new access token, `logout` revokes it.
 */
export function browserLoginRoutes(s: Services) {
  const setRefreshCookie = (c: Context, issued: IssuedRefreshToken): void => {
    setCookie(c, REFRESH_COOKIE, issued.token, {
      httpOnly: true,
      sameSite: "Strict",
      path: COOKIE_PATH,
      secure: s.requestOrigin(c).https,
      maxAge: issued.maxAgeSec,
    });
    setCookie(c, LOGIN_HINT_COOKIE, "1", { sameSite: "Strict", path: "/", secure: s.requestOrigin(c).https, maxAge: issued.maxAgeSec });
  };
  const clearRefreshCookie = (c: Context): void => {
    const secure = s.requestOrigin(c).https;
    deleteCookie(c, REFRESH_COOKIE, { path: COOKIE_PATH, httpOnly: true, sameSite: "Strict", secure });
    deleteCookie(c, LOGIN_HINT_COOKIE, { path: "/", sameSite: "Strict", secure });
  };
  /** A browser sends `Origin` on these POSTs; one that names another site is a forged request. */
  const sameOriginOnly: MiddlewareHandler = async (c, next) => {
    noStore(c);
    const origin = c.req.header("origin");
    if (origin !== undefined && origin !== s.requestOrigin(c).origin) throw new ApiError("forbidden", "Cross-origin request refused");
    await next();
  };

  const tags = ["login"];
  return new Hono()
    .use("/api/auth/*", sameOriginOnly)
    .post(
      "/api/auth/login",
      documented({
        summary: "Browser login: an access token plus the httpOnly refresh cookie kon_refresh",
        tags,
        public: true,
        ok: { 200: TokenResponse },
        errors: [401, 403, 413, 415, 429],
      }),
      validate("json", TokenRequest, "credentials"),
      async (c) => {
        const user = await checkLogin(s, c, c.req.valid("json"));
        const access = await s.accessTokens.issue(user.id);
        setRefreshCookie(c, s.refreshTokens.issue(user.id, access.jti));
        s.logger.info({ userId: user.id }, "browser login");
        return c.json(tokenResponse(access), 200);
      },
    )
    .post(
      "/api/auth/refresh",
      documented({ summary: "A new access token for the kon_refresh cookie, which rotates", tags, public: true, ok: { 200: TokenResponse }, errors: [401, 403] }),
      async (c) => {
        let rotated;
        try {
          rotated = s.refreshTokens.rotate(getCookie(c, REFRESH_COOKIE));
        } catch (err) {
          clearRefreshCookie(c);
          throw err;
        }
        const user = s.users.findById(rotated.userId);
        if (!user || user.disabled) {
          s.refreshTokens.revokeFamily(rotated.familyId);
          clearRefreshCookie(c);
          throw new ApiError("unauthorized", "User is disabled or gone");
        }
        const access = await s.accessTokens.issue(user.id);
        setRefreshCookie(c, rotated.next(access.jti));
        return c.json(tokenResponse(access), 200);
      },
    )
    .post(
      "/api/auth/logout",
      documented({ summary: "Revoke the cookie's login and the bearer token, clear the cookies", tags, public: true, ok: { 204: null }, errors: [403] }),
      async (c) => {
        s.refreshTokens.revokeFamilyOf(getCookie(c, REFRESH_COOKIE));
        const bearer = bearerToken(c.req.header("authorization"));
        if (bearer) {
          const claims = await s.accessTokens.verify(bearer).catch(() => undefined);
          if (claims) s.accessTokens.revoke(claims.jti);
        }
        clearRefreshCookie(c);
        return c.body(null, 204);
      },
    );
}

// The sandbox's sign-in and consent page: one server-rendered form, no script and no external asset (the
// CSP allows only the inline style). What Logto splits over its sign-in experience and consent screen, in
// one step: who signs in, and what the app is asking for on which API resource.

export interface SignInPage {
  /** Where the form posts: `/oidc/interaction/<uid>`. */
  readonly action: string;
  readonly clientName: string;
  readonly resource?: string;
  readonly scopes: readonly string[];
  /** Shown above the form, e.g. after a wrong password. */
  readonly error?: string;
  readonly username?: string;
}

export const SIGN_IN_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

export function renderSignInPage(page: SignInPage): string {
  const scopes = page.scopes.length
    ? `<ul>${page.scopes.map((s) => `<li><code>${escape(s)}</code></li>`).join('')}</ul>`
    : '<p>No permission (sign-in only).</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in – Logto sandbox</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
label { display: block; margin-top: 1rem; }
input { display: block; width: 100%; padding: .5rem; margin-top: .25rem; box-sizing: border-box; }
button { margin-top: 1.5rem; margin-right: .5rem; padding: .5rem 1rem; }
.error { color: #a00; }
</style>
</head>
<body>
<h1>Sign in to the Logto sandbox</h1>
${page.error ? `<p class="error" role="alert">${escape(page.error)}</p>` : ''}
<p><strong>${escape(page.clientName)}</strong> asks for access${page.resource ? ` to <code>${escape(page.resource)}</code>` : ''}:</p>
${scopes}
<form method="post" action="${escape(page.action)}">
<label>Username <input name="username" autocomplete="username" required value="${escape(page.username ?? '')}"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit" name="consent" value="allow">Sign in and authorize</button>
<button type="submit" name="consent" value="deny" formnovalidate>Deny</button>
</form>
</body>
</html>
`;
}

function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

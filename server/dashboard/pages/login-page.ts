import { h, notice } from './components';

export function loginPage(options: { next: string; error?: string | undefined; oidcLabel?: string | undefined }): string {
  const provider = options.oidcLabel
    ? `<p><a href="/dashboard/login/oidc?next=${encodeURIComponent(options.next)}" data-oidc>${h(options.oidcLabel)}</a></p><p class="muted">Or with a staff account:</p>`
    : '';
  return `<div class="login card">
<h1>Staff sign in</h1>
<p class="muted">The dashboard is for Community Partnerships Office staff.</p>
${options.error ? notice(options.error, 'error') : ''}
${provider}
<form method="post" action="/dashboard/login">
<input type="hidden" name="next" value="${h(options.next)}">
<label>Username<input type="text" name="username" autocomplete="username" required autofocus></label>
<label>Password<input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>
</div>`;
}

using System.Diagnostics;
using SecureDialogue.Client.Identity.Protocol;

namespace SecureDialogue.Client.Identity;

/// <summary>
/// A started authorization code sign-in with PKCE and a loopback redirect (RFC 8252): open
/// <see cref="AuthorizationUri"/> in a browser, then call <see cref="OidcClient.CompleteBrowserSignInAsync"/>.
/// Disposing stops the loopback listener; the PKCE verifier and the nonce stay inside.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class BrowserSignIn : IAsyncDisposable
{
    internal BrowserSignIn(Uri authorizationUri, LoopbackRedirectListener listener, string codeVerifier, string nonce)
    {
        AuthorizationUri = authorizationUri;
        Listener = listener;
        CodeVerifier = codeVerifier;
        Nonce = nonce;
    }

    /// <summary>The provider's authorization page for this sign-in: open it in a browser.</summary>
    public Uri AuthorizationUri { get; }

    /// <summary>The loopback redirect URI the browser comes back to.</summary>
    public Uri RedirectUri => Listener.RedirectUri;

    internal LoopbackRedirectListener Listener { get; }

    internal string CodeVerifier { get; }

    internal string Nonce { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Listener.DisposeAsync();

    /// <summary>Names the redirect URI only.</summary>
    public override string ToString() => $"BrowserSignIn(redirect {RedirectUri})";
}

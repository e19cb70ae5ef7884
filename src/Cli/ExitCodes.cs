namespace SecureDialogue.Cli;

/// <summary>The process exit codes of <c>sdlg</c>, documented in docs/cli.md. Scripts may rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>The operation failed: wrong passphrase, invalid peer key, a store that already exists, an I/O error.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong or incomplete: unknown command or option, missing argument, no passphrase source.</summary>
    public const int Usage = 2;

    /// <summary>The profile has no key store yet (run <c>sdlg keys init</c>).</summary>
    public const int KeyStoreMissing = 3;

    /// <summary>The machine lacks something sdlg needs, such as libsodium.</summary>
    public const int Environment = 4;

    /// <summary>
    /// Not signed in: the profile has no sign-in (run <c>sdlg login</c>), or its tokens expired and cannot be
    /// refreshed, or the server refused them (HTTP 401).
    /// </summary>
    public const int NotSignedIn = 5;

    /// <summary>The server (or the identity provider) could not be reached, timed out, or answered with a server error (5xx).</summary>
    public const int ServerUnreachable = 6;

    /// <summary>
    /// Refused: the server said no (403 forbidden, 404 not found, 409 conflict, another 4xx), or the action is one
    /// the server refuses for this member (reading a channel one does not read, an observer posting).
    /// </summary>
    public const int Refused = 7;

    /// <summary>
    /// A downloaded attachment failed verification against the sender's signed manifest (altered, cut, swapped or
    /// replaced by the server or the storage): nothing was written at the destination.
    /// </summary>
    public const int Tampered = 8;
}

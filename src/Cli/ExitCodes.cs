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
}

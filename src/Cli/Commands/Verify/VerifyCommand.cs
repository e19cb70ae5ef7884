using System.CommandLine;

namespace SecureDialogue.Cli.Commands.Verify;

/// <summary>
/// <c>sdlg verify</c>: offline checks that need no secret and no server (publication records need the archive's public key). The auditor commands speak RFC 9162
/// (SHA-256, lower-case hex, zero-based leaf index) so other transparency-log tools can check our proofs and
/// we theirs. Exit 0 valid, 1 invalid, 2 usage error.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context, GlobalOptions global) =>
        new("verify", "Check offline: RFC 9162 Merkle proofs, sealed archive bundles, publication records (exit 0 valid, 1 invalid, 2 usage error)")
        {
            VerifyInclusionCommand.Create(context, global),
            VerifyConsistencyCommand.Create(context, global),
            VerifyBundleCommand.Create(context, global),
            VerifyPublicationCommand.Create(context, global),
        };
}

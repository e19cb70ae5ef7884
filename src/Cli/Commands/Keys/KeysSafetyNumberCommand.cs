using System.CommandLine;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Cli.Commands.Keys;

/// <summary>
/// <c>sdlg keys safety-number PEER_KEY</c>: verifies a peer's device card and prints the safety number both
/// sides compare, with both fingerprints.
/// </summary>
internal static class KeysSafetyNumberCommand
{
    public static Command Create(CliContext context, GlobalOptions global, Option<string> passphraseFile)
    {
        var peerKey = new Argument<string>("PEER_KEY")
        {
            Description = "The peer's public key: the hex printed by 'sdlg keys show' on their device, or a file holding it",
        };

        var command = new Command("safety-number", "Verify a peer's public key and print the safety number to compare with them")
        {
            peerKey,
        };
        command.SetAction(parseResult =>
        {
            var profile = Profile.Resolve(parseResult.GetValue(global.Profile), context);
            if (!profile.TryGetValue(out var resolved, out var failure))
            {
                return context.Fail(failure);
            }

            // Check the peer key first: a typo should not cost a passphrase entry and an Argon2id run.
            var peerResult = PeerKey.Read(parseResult.GetValue(peerKey)!);
            if (!peerResult.TryGetValue(out var peer, out failure))
            {
                return context.Fail(failure);
            }

            var passphrases = new PassphraseSource(context, parseResult.GetValue(passphraseFile));
            var opened = DeviceKeyStore.Open(resolved, passphrases);
            if (!opened.TryGetValue(out var identity, out failure))
            {
                return context.Fail(failure);
            }

            using (identity)
            {
                var mine = identity.PublicKeys;
                if (mine.Equals(peer))
                {
                    return context.Fail(ExitCodes.Failed, "PEER_KEY is this device's own public key; pass the other device's key");
                }

                var view = new SafetyNumberView(
                    SafetyNumber.Of(mine, peer),
                    mine.Id.ToString(),
                    Fingerprint.Of(mine),
                    peer.Id.ToString(),
                    Fingerprint.Of(peer));
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.SafetyNumberView,
                    static (v, w) => v.WriteText(w));
                return ExitCodes.Ok;
            }
        });
        return command;
    }
}

using System.CommandLine;
using SecureDialogue.Cli.Output;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Cli.Commands.Verify;

/// <summary><c>sdlg verify consistency</c>: RFC 9162 section 2.1.4.2, with the size-0 rule of docs/cli.md.</summary>
internal static class VerifyConsistencyCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var oldSize = new Option<long>("--old-size") { Description = "Size M of the earlier tree", HelpName = "M", Required = true };
        var newSize = new Option<long>("--new-size") { Description = "Size N of the later tree (N >= M)", HelpName = "N", Required = true };
        var oldRoot = new Option<string>("--old-root") { Description = "Root of the earlier tree, 64 lower-case hex digits", HelpName = "HEX", Required = true };
        var newRoot = new Option<string>("--new-root") { Description = "Root of the later tree, 64 lower-case hex digits", HelpName = "HEX", Required = true };
        var proof = new Option<string[]>("--proof")
        {
            Description = "One consistency-proof hash; repeat for each, in RFC 9162 order (none when M = N or M = 0)",
            HelpName = "HEX",
        };

        var command = new Command("consistency", "Check that the earlier tree is a prefix of the later one (append-only)")
        {
            oldSize, newSize, oldRoot, newRoot, proof,
        };
        command.SetAction(parseResult =>
        {
            if (!HashArgument.TryParse(parseResult.GetValue(oldRoot), out var oldHash))
            {
                return context.Fail(ExitCodes.Usage, "--old-root must be 64 lower-case hex digits");
            }

            if (!HashArgument.TryParse(parseResult.GetValue(newRoot), out var newHash))
            {
                return context.Fail(ExitCodes.Usage, "--new-root must be 64 lower-case hex digits");
            }

            if (!HashArgument.TryParseAll("--proof", parseResult.GetValue(proof), out var path, out var error))
            {
                return context.Fail(ExitCodes.Usage, error!);
            }

            long m = parseResult.GetValue(oldSize), n = parseResult.GetValue(newSize);
            if (m < 0 || n < 0)
            {
                return context.Fail(ExitCodes.Usage, "--old-size and --new-size must not be negative");
            }

            var valid = MerkleProofs.VerifyConsistency(m, n, oldHash, newHash, path);
            var detail = valid
                ? $"the tree of size {m} is a prefix of the tree of size {n}"
                : n < m
                    ? $"the new size {n} is smaller than the old size {m}: a rollback"
                    : $"the {path.Count}-hash proof does not connect the two roots";
            var view = new ProofVerdictView(valid, "consistency", detail);
            CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.ProofVerdictView, static (v, w) => v.WriteText(w));
            return valid ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}

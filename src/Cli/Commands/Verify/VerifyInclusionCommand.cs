using System.CommandLine;
using SecureDialogue.Cli.Output;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Cli.Commands.Verify;

/// <summary><c>sdlg verify inclusion</c>: RFC 9162 section 2.1.3.2.</summary>
internal static class VerifyInclusionCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var leafHash = new Option<string>("--leaf-hash") { Description = "The leaf hash, SHA-256(0x00 || entry), 64 lower-case hex digits", HelpName = "HEX", Required = true };
        var index = new Option<long>("--index") { Description = "Zero-based index of the leaf", HelpName = "I", Required = true };
        var size = new Option<long>("--size") { Description = "Tree size the root is for (a tree of size 0 includes nothing)", HelpName = "N", Required = true };
        var root = new Option<string>("--root") { Description = "The tree root, 64 lower-case hex digits", HelpName = "HEX", Required = true };
        var proof = new Option<string[]>("--proof")
        {
            Description = "One audit-path hash, leaf side first; repeat for each (none for a tree of one leaf)",
            HelpName = "HEX",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("inclusion", "Check that a leaf is at an index of a tree with the given size and root")
        {
            leafHash, index, size, root, proof,
        };
        command.SetAction(parseResult =>
        {
            if (!HashArgument.TryParse(parseResult.GetValue(leafHash), out var leaf))
            {
                return context.Fail(ExitCodes.Usage, "--leaf-hash must be 64 lower-case hex digits");
            }

            if (!HashArgument.TryParse(parseResult.GetValue(root), out var rootHash))
            {
                return context.Fail(ExitCodes.Usage, "--root must be 64 lower-case hex digits");
            }

            if (!HashArgument.TryParseAll("--proof", parseResult.GetValue(proof), out var path, out var error))
            {
                return context.Fail(ExitCodes.Usage, error!);
            }

            long i = parseResult.GetValue(index), n = parseResult.GetValue(size);
            if (i < 0 || n < 0)
            {
                return context.Fail(ExitCodes.Usage, "--index and --size must not be negative");
            }

            var valid = MerkleProofs.VerifyInclusion(leaf, i, n, rootHash, path);
            var detail = valid
                ? $"leaf {i} is in the tree of size {n} with that root"
                : i >= n
                    ? $"index {i} is not below the tree size {n}"
                    : $"the {path.Count}-hash proof does not lead from leaf {i} to that root of a tree of size {n}";
            var view = new ProofVerdictView(valid, "inclusion", detail);
            CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.ProofVerdictView, static (v, w) => v.WriteText(w));
            return valid ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}

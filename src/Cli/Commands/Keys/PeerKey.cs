using System.Buffers;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Cli.Commands.Keys;

/// <summary>
/// Reads a peer's device card given on the command line: the hex printed by <c>sdlg keys show</c>, or the path
/// of a file holding that hex. Whitespace inside the hex is ignored; the card is then decoded and verified.
/// </summary>
internal static class PeerKey
{
    private const int MaximumFileSize = 16 * 1024;
    private static readonly SearchValues<char> s_hexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    public static Result<DevicePublicKeys, CommandFailure> Read(string value)
    {
        var text = value;
        if (File.Exists(value))
        {
            try
            {
                if (new FileInfo(value).Length > MaximumFileSize)
                {
                    return new CommandFailure(ExitCodes.Failed, $"the peer key file {value} is too large to hold a device card");
                }

                text = File.ReadAllText(value);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new CommandFailure(ExitCodes.Failed, $"cannot read the peer key file {value}: {e.Message}");
            }
        }

        var hex = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        if (hex.Length == 0 || hex.Length % 2 != 0 || hex.AsSpan().ContainsAnyExcept(s_hexDigits))
        {
            return new CommandFailure(ExitCodes.Failed, text == value && !LooksLikeHex(value)
                ? $"the peer key is neither hex nor an existing file: {value}"
                : "the peer key is not valid hex (expected the hex printed by 'sdlg keys show')");
        }

        var decoded = DevicePublicKeys.Decode(Convert.FromHexString(hex));
        return decoded.TryGetValue(out var card, out var error) ? card : KeyStoreFailures.OfPeerKey(error);
    }

    private static bool LooksLikeHex(string value) => value.Length > 0 && !value.AsSpan().ContainsAnyExcept(s_hexDigits);
}

namespace SecureDialogue.Messaging.Archive.Sealing;

/// <summary>Names of sealed bundles: relative, segments of <c>[A-Za-z0-9._-]</c> separated by '/', no empty, '.' or '..' segment.</summary>
internal static class SealedNames
{
    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 512 &&
        name.Split('/').All(s => s.Length > 0 && s is not ("." or "..") && s.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-'));

    public static void Check(string name)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException("A sealed bundle name is relative, of '/'-separated segments of A-Z, a-z, 0-9, '.', '_' and '-'.", nameof(name));
        }
    }
}

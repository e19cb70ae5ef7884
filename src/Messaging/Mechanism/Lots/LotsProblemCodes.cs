namespace SecureDialogue.Messaging.Mechanism.Lots;

/// <summary>Stable codes of <see cref="LotsProblemKind"/>: the kind's name in kebab case (<c>mutual-review</c>).</summary>
internal static class LotsProblemCodes
{
    public static string Code(LotsProblemKind kind)
    {
        var name = kind.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}

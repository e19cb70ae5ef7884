using System.Diagnostics;

namespace SecureDialogue.Vault.Tests.Support;

/// <summary>Byte-level mutations for fuzzing parsers from FsCheck-generated edits, and a time bound.</summary>
internal static class Mutation
{
    /// <summary>
    /// Applies one edit per entry of <paramref name="positions"/>: kind 0-3 overwrites a byte, 4 truncates,
    /// 5 inserts <paramref name="insert"/>, 6 deletes a few bytes, 7 duplicates a slice.
    /// </summary>
    public static byte[] Apply(byte[] original, int[] positions, byte[] values, byte[] insert)
    {
        var data = original.ToList();
        for (var i = 0; i < positions.Length; i++)
        {
            var value = values.Length == 0 ? (byte)i : values[i % values.Length];
            var position = data.Count == 0 ? 0 : (int)((uint)positions[i] % (uint)data.Count);
            switch (value % 8)
            {
                case < 4 when data.Count > 0:
                    data[position] = (byte)(data[position] ^ (value | 1));
                    break;
                case 4:
                    data.RemoveRange(position, data.Count - position);
                    break;
                case 5:
                    data.InsertRange(position, insert);
                    break;
                case 6:
                    data.RemoveRange(position, Math.Min(1 + (value % 16), data.Count - position));
                    break;
                case 7:
                    data.InsertRange(position, data.GetRange(position, Math.Min(1 + value, data.Count - position)));
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>Runs a parser, reporting whether it returned within the budget; exceptions propagate.</summary>
    public static bool Within<T>(TimeSpan budget, Func<T> parse, out T result)
    {
        var stopwatch = Stopwatch.StartNew();
        result = parse();
        return stopwatch.Elapsed < budget;
    }
}

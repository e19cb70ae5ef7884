using SecureDialogue.Cli.Passphrases;

namespace SecureDialogue.Cli.Tests.Infrastructure;

/// <summary>A terminal prompt that answers from a script and records the prompts it was shown.</summary>
internal sealed class ScriptedPrompt(params string?[] answers) : IPassphrasePrompt
{
    private readonly Queue<string?> _answers = new(answers);

    public List<string> Prompts { get; } = [];

    public Passphrase? Read(string prompt)
    {
        Prompts.Add(prompt);
        if (_answers.Count == 0)
        {
            throw new InvalidOperationException($"Unexpected prompt: {prompt}");
        }

        var answer = _answers.Dequeue();
        return answer is null ? null : Passphrase.CopyOf(answer);
    }
}

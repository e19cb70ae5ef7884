namespace SecureDialogue.Messaging.Hosting;

/// <summary>Where the server keeps its state (configuration section <c>Data</c>, e.g. <c>--Data:Directory DIR</c>).</summary>
internal sealed record DataDirectoryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Data";

    /// <summary>The data directory; relative paths are taken from the working directory. Default <c>./.data</c>.</summary>
    public string Directory { get; set; } = ".data";
}

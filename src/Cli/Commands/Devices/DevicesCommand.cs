using System.CommandLine;

namespace SecureDialogue.Cli.Commands.Devices;

/// <summary><c>sdlg devices</c>: decisions about review members' devices (trust on first use until focal points certify devices).</summary>
internal static class DevicesCommand
{
    public static Command Create(CliContext context, GlobalOptions global) =>
        new("devices", "Trust a member's new or changed device after comparing safety numbers")
        {
            DevicesTrustCommand.Create(context, global),
        };
}

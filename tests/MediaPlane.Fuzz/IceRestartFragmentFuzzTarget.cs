using System.Text;
using Gateway.WebRtc;

namespace MediaPlane.Fuzz;

/// <summary>The ICE restart fragment of a WHIP/WHEP PATCH body, and our answer to whatever parses.</summary>
public sealed class IceRestartFragmentFuzzTarget : IFuzzTarget
{
    public string Name => "ice-restart";

    public void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        if (IceRestartFragment.TryParse(text, out var fragment, out _))
            _ = fragment!.WriteAnswer("fuzz", "abcdefghijklmnopqrstuv", "127.0.0.1", 7882);
    }
}

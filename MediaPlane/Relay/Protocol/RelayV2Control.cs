namespace MediaPlane.Relay.Protocol;

/// <summary>Control payloads as constant spans (no allocation per packet).</summary>
internal static class RelayV2Control
{
    public static ReadOnlySpan<byte> Keepalive => [(byte)RelayV2ControlCode.Keepalive];

    public static ReadOnlySpan<byte> StreamEnded => [(byte)RelayV2ControlCode.StreamEnded];
}

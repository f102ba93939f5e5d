print("dxmap")

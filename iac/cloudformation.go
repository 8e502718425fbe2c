package iac

func readCloudFormation(paths []string, m *Model, c *collector) {}
